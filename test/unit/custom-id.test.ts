import { describe, expect, it } from 'vitest';
import {
  discordCustomIdFor,
  isMjCustomId,
  parseMjCustomId,
  resolveButtonCustomId,
  shortButtonKey,
  type MjButtonKind,
} from '../../src/mj/custom-id.js';

const UUID = '3785da15-4f70-4034-9128-f3ff1ac634fa';
const UUID2 = '6dc7beb8-8310-4fd4-b46c-716b422ddffc';

type Expected = Partial<MjButtonKind> & Pick<MjButtonKind, 'family' | 'fallbackLabel'>;

// Every pattern of the catalog (shared reference mj-api.md §3.2), with the meaning the bot relies on.
const CATALOG: Array<[string, Expected]> = [
  [
    `MJ::JOB::upsample::1::${UUID}`,
    { family: 'upscale', index: 1, fallbackLabel: 'U1', modal: 'never', aggregatorSupported: true },
  ],
  [`MJ::JOB::upsample::4::${UUID}`, { family: 'upscale', index: 4, fallbackLabel: 'U4' }],
  [
    `MJ::JOB::variation::2::${UUID}`,
    { family: 'variation', index: 2, fallbackLabel: 'V2', modal: 'remix', aggregatorSupported: true },
  ],
  [
    `MJ::JOB::reroll::0::${UUID}::SOLO`,
    { family: 'reroll', fallbackLabel: 'Re-roll', modal: 'remix', aggregatorSupported: true },
  ],
  [
    `MJ::JOB::upsample_v5_2x::1::${UUID}::SOLO`,
    { family: 'upscale_hd', fallbackLabel: 'Upscale (2x)', modal: 'never', aggregatorSupported: true },
  ],
  [`MJ::JOB::upsample_v5_4x::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (4x)' }],
  [`MJ::JOB::upsample_v6_2x_subtle::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (Subtle)' }],
  [`MJ::JOB::upsample_v6_2x_creative::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (Creative)' }],
  [`MJ::JOB::upsample_v6r1_2x_subtle::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (Subtle)' }],
  [
    `MJ::JOB::upsample_v6r1_2x_creative::1::${UUID}::SOLO`,
    { family: 'upscale_hd', fallbackLabel: 'Upscale (Creative)' },
  ],
  [`MJ::JOB::upsample_v7_2x_subtle::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (Subtle)' }],
  [`MJ::JOB::upsample_v7_2x_creative::1::${UUID}::SOLO`, { family: 'upscale_hd', fallbackLabel: 'Upscale (Creative)' }],
  [
    `MJ::JOB::low_variation::1::${UUID}::SOLO`,
    { family: 'vary_subtle', fallbackLabel: 'Vary (Subtle)', modal: 'remix', aggregatorSupported: true },
  ],
  [
    `MJ::JOB::high_variation::1::${UUID}::SOLO`,
    { family: 'vary_strong', fallbackLabel: 'Vary (Strong)', modal: 'remix', aggregatorSupported: true },
  ],
  [
    `MJ::Inpaint::1::${UUID}::SOLO`,
    {
      family: 'vary_region',
      fallbackLabel: 'Vary (Region)',
      modal: 'always',
      maskRequired: true,
      aggregatorSupported: true,
    },
  ],
  [
    `MJ::Outpaint::50::1::${UUID}::SOLO`,
    { family: 'zoom_out', fallbackLabel: 'Zoom Out 2x', modal: 'never', aggregatorSupported: true },
  ],
  [`MJ::Outpaint::75::1::${UUID}::SOLO`, { family: 'zoom_out', fallbackLabel: 'Zoom Out 1.5x' }],
  [
    `MJ::CustomZoom::${UUID}`,
    {
      family: 'custom_zoom',
      fallbackLabel: 'Custom Zoom',
      modal: 'always',
      maskRequired: false,
      aggregatorSupported: true,
    },
  ],
  ['MJ::CustomZoom::1::1730621826053455', { family: 'custom_zoom', fallbackLabel: 'Custom Zoom', modal: 'always' }],
  [
    `MJ::JOB::pan_left::1::${UUID}::SOLO`,
    { family: 'pan', direction: 'left', fallbackLabel: 'Pan Left', modal: 'remix', aggregatorSupported: true },
  ],
  [`MJ::JOB::pan_right::1::${UUID}::SOLO`, { family: 'pan', direction: 'right', fallbackLabel: 'Pan Right' }],
  [`MJ::JOB::pan_up::1::${UUID}::SOLO`, { family: 'pan', direction: 'up', fallbackLabel: 'Pan Up' }],
  [`MJ::JOB::pan_down::1::${UUID}::SOLO`, { family: 'pan', direction: 'down', fallbackLabel: 'Pan Down' }],
  [
    `MJ::JOB::animate_high::1::${UUID}::SOLO`,
    { family: 'animate', fallbackLabel: 'Animate (High motion)', aggregatorSupported: false },
  ],
  [`MJ::JOB::animate_low::1::${UUID}::SOLO`, { family: 'animate', fallbackLabel: 'Animate (Low motion)' }],
  [`MJ::JOB::animate_high_extend::1::${UUID}`, { family: 'animate', fallbackLabel: 'Extend (High motion)' }],
  [`MJ::JOB::animate_low_extend::1::${UUID}`, { family: 'animate', fallbackLabel: 'Extend (Low motion)' }],
  [
    `MJ::JOB::video_virtual_upscale::3::${UUID}`,
    { family: 'video_upscale', index: 3, fallbackLabel: 'U3', modal: 'never', aggregatorSupported: false },
  ],
  [
    `MJ::BOOKMARK::${UUID}`,
    { family: 'bookmark', fallbackLabel: 'Bookmark', modal: 'never', aggregatorSupported: false },
  ],
  [
    'MJ::Job::PicReader::1',
    { family: 'pic_reader', index: 1, fallbackLabel: 'Imagine 1', modal: 'always', aggregatorSupported: false },
  ],
  ['MJ::Job::PicReader::4', { family: 'pic_reader', index: 4, fallbackLabel: 'Imagine 4', modal: 'always' }],
  [
    'MJ::Job::PicReader::all',
    { family: 'pic_reader', fallbackLabel: 'Imagine all', modal: 'never', aggregatorSupported: false },
  ],
  [
    'MJ::Picread::Retry',
    { family: 'picread_retry', fallbackLabel: 'Retry', modal: 'never', aggregatorSupported: false },
  ],
  [
    'MJ::Job::PromptAnalyzer::2',
    { family: 'prompt_analyzer', index: 2, fallbackLabel: 'Imagine 2', modal: 'always', aggregatorSupported: false },
  ],
];

describe('parseMjCustomId', () => {
  it.each(CATALOG)('%s', (customId, expected) => {
    const kind = parseMjCustomId(customId);
    expect(kind).toMatchObject(expected);
    expect(isMjCustomId(customId)).toBe(true);
    // Every catalog id fits a Discord custom_id as is.
    expect(customId.length).toBeLessThanOrEqual(81);
    expect(discordCustomIdFor(customId)).toBe(customId);
  });

  it('knows the catalog lengths, the longest being 81', () => {
    expect(`MJ::JOB::upsample::1::${UUID}`).toHaveLength(58);
    expect(`MJ::JOB::reroll::0::${UUID}::SOLO`).toHaveLength(62);
    expect(`MJ::JOB::upsample_v6r1_2x_creative::1::${UUID}::SOLO`).toHaveLength(81);
    expect(`MJ::CustomZoom::${UUID}`).toHaveLength(52);
    expect('MJ::Picread::Retry').toHaveLength(18);
  });

  it('marks Vary (Region) as the only family that needs a mask', () => {
    const masked = CATALOG.filter(([id]) => parseMjCustomId(id).maskRequired).map(([id]) => parseMjCustomId(id).family);
    expect(new Set(masked)).toEqual(new Set(['vary_region']));
  });

  it('says aggregators accept exactly the families new-api maps', () => {
    const supported = new Set(
      CATALOG.filter(([id]) => parseMjCustomId(id).aggregatorSupported).map(([id]) => parseMjCustomId(id).family),
    );
    expect(supported).toEqual(
      new Set([
        'upscale',
        'upscale_hd',
        'variation',
        'vary_subtle',
        'vary_strong',
        'reroll',
        'pan',
        'zoom_out',
        'custom_zoom',
        'vary_region',
      ]),
    );
  });

  it('gives unknown ids a readable label and never throws', () => {
    expect(parseMjCustomId(`MJ::JOB::make_square::1::${UUID}::SOLO`)).toMatchObject({
      family: 'unknown',
      fallbackLabel: 'Make square',
      modal: 'never',
      aggregatorSupported: false,
    });
    for (const odd of [
      '',
      'MJ::',
      'MJ::JOB',
      'MJ::JOB::',
      'MJ::::::',
      'hello',
      'mj::job::upsample::1::x',
      'MJ::Job::Nothing',
      'MJ::Picread::Other',
      'MJ::JOB::123::1',
    ]) {
      const kind = parseMjCustomId(odd);
      expect(kind.fallbackLabel.length).toBeGreaterThan(0);
      expect(kind.fallbackLabel.length).toBeLessThanOrEqual(80);
    }
    expect(parseMjCustomId('hello').family).toBe('unknown');
    expect(parseMjCustomId('MJ::JOB::upsample::x::y')).toMatchObject({ family: 'upscale', fallbackLabel: 'Upscale' });
    expect(parseMjCustomId('MJ::JOB::upsample::x::y').index).toBeUndefined();
  });

  it('recognises MJ ids by their prefix only', () => {
    expect(isMjCustomId('MJ::anything')).toBe(true);
    expect(isMjCustomId('mjk:0123456789abcdef')).toBe(false);
    expect(isMjCustomId('MJ:JOB')).toBe(false);
  });
});

describe('short button keys', () => {
  const long = `MJ::JOB::upsample_v9_8x_ultra_creative_experimental::1::${UUID}::${UUID2}::SOLO`;

  it('is deterministic, prefixed and at most 20 characters', () => {
    expect(long.length).toBeGreaterThan(100);
    const key = shortButtonKey(long);
    expect(key).toMatch(/^mjk:[0-9a-f]{16}$/);
    expect(key.length).toBeLessThanOrEqual(20);
    expect(shortButtonKey(long)).toBe(key);
    expect(shortButtonKey(long + 'x')).not.toBe(key);
    // FNV-1a 64 reference values.
    expect(shortButtonKey('')).toBe('mjk:cbf29ce484222325');
    expect(shortButtonKey('a')).toBe('mjk:af63dc4c8601ec8c');
  });

  it('spreads the keys of similar ids', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 2000; i++) keys.add(shortButtonKey(`${long}::${i}`));
    expect(keys.size).toBe(2000);
  });

  it('is used for long ids and for ids that are not MJ ids', () => {
    expect(discordCustomIdFor(long)).toBe(shortButtonKey(long));
    expect(discordCustomIdFor('refresh')).toBe(shortButtonKey('refresh'));
    const exactly100 = 'MJ::' + 'x'.repeat(96);
    expect(discordCustomIdFor(exactly100)).toBe(exactly100);
    expect(discordCustomIdFor(exactly100 + 'y')).toMatch(/^mjk:/);
  });

  it('resolves back to the task button', () => {
    const task = { buttons: [{ customId: `MJ::JOB::upsample::1::${UUID}` }, { customId: long }, { customId: '' }] };
    expect(resolveButtonCustomId(shortButtonKey(long), task)).toBe(long);
    expect(resolveButtonCustomId(`MJ::JOB::upsample::1::${UUID}`, task)).toBe(`MJ::JOB::upsample::1::${UUID}`);
    // An MJ id the task no longer lists still goes to the proxy, which is the judge.
    expect(resolveButtonCustomId(`MJ::JOB::variation::1::${UUID}`, task)).toBe(`MJ::JOB::variation::1::${UUID}`);
    expect(resolveButtonCustomId(shortButtonKey('gone'), task)).toBeNull();
    expect(resolveButtonCustomId('mjtask:refresh', task)).toBeNull();
    expect(resolveButtonCustomId('', task)).toBeNull();
  });
});
