import { describe, expect, it } from 'vitest';
import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord-api-types/v10';
import { resolveButtonCustomId, shortButtonKey } from '../../src/mj/custom-id.js';
import type { MjButton } from '../../src/mj/schema.js';
import { renderButtons, type ButtonRow } from '../../src/render/buttons.js';
import { validateMessagePayload } from '../support/discord-limits.js';

const UUID = '3785da15-4f70-4034-9128-f3ff1ac634fa';
const b = (customId: string, label = '', emoji = '', style = 2): MjButton => ({
  customId,
  label,
  emoji,
  style,
  type: 2,
});

const GRID: MjButton[] = [
  ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::upsample::${i}::${UUID}`, `U${i}`)),
  b(`MJ::JOB::reroll::0::${UUID}::SOLO`, '', '🔄'),
  ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::variation::${i}::${UUID}`, `V${i}`)),
];

// The 15 action buttons of a v7 upscale as the proxy flattens them; the 16th, the Web link, is dropped by the proxy.
const UPSCALED: MjButton[] = [
  b(`MJ::JOB::upsample_v7_2x_subtle::1::${UUID}::SOLO`, 'Upscale (Subtle)', 'upscale_1'),
  b(`MJ::JOB::upsample_v7_2x_creative::1::${UUID}::SOLO`, 'Upscale (Creative)', 'upscale_1'),
  b(`MJ::JOB::low_variation::1::${UUID}::SOLO`, 'Vary (Subtle)', '🪄'),
  b(`MJ::JOB::high_variation::1::${UUID}::SOLO`, 'Vary (Strong)', '🪄'),
  b(`MJ::Inpaint::1::${UUID}::SOLO`, 'Vary (Region)', '🖌️'),
  b(`MJ::Outpaint::50::1::${UUID}::SOLO`, 'Zoom Out 2x', '🔍'),
  b(`MJ::Outpaint::75::1::${UUID}::SOLO`, 'Zoom Out 1.5x', '🔍'),
  b(`MJ::CustomZoom::${UUID}`, 'Custom Zoom', '🔍'),
  b(`MJ::JOB::pan_left::1::${UUID}::SOLO`, '', '⬅️'),
  b(`MJ::JOB::pan_right::1::${UUID}::SOLO`, '', '➡️'),
  b(`MJ::JOB::pan_up::1::${UUID}::SOLO`, '', '⬆️'),
  b(`MJ::JOB::pan_down::1::${UUID}::SOLO`, '', '⬇️'),
  b(`MJ::JOB::animate_high::1::${UUID}::SOLO`, 'Animate (High motion)', '🎞️'),
  b(`MJ::JOB::animate_low::1::${UUID}::SOLO`, 'Animate (Low motion)', '🎞️'),
  b(`MJ::BOOKMARK::${UUID}`, '', '❤️'),
];

const IMAGE = 'https://cdn.discordapp.com/attachments/1/2/cat.png?ex=1&is=2&hm=3&';

type CustomIdButton = Extract<APIButtonComponent, { custom_id: string }>;
const actionButtons = (rows: ButtonRow[]): CustomIdButton[] =>
  rows.flatMap((r) => r.components).filter((c): c is CustomIdButton => 'custom_id' in c);
const valid = (rows: ButtonRow[]) => validateMessagePayload({ components: rows });

describe('renderButtons', () => {
  it('lays out a grid like Midjourney: U1–U4 🔄 | V1–V4 and the link beside them', () => {
    const rows = renderButtons(GRID, { imageUrl: IMAGE });
    expect(valid(rows)).toEqual([]);
    expect(
      rows.map((r) => r.components.map((c) => ('label' in c && c.label) || ('emoji' in c && c.emoji?.name))),
    ).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4', 'Open image'],
    ]);
    expect(actionButtons(rows).map((c) => c.custom_id)).toEqual(GRID.map((g) => g.customId));
    expect(rows[1]?.components[4]).toEqual({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Open image',
      url: IMAGE,
    });
  });

  it('keeps all 15 upscale buttons plus the link within 5 rows, in order', () => {
    const rows = renderButtons(UPSCALED, { imageUrl: IMAGE });
    expect(valid(rows)).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(actionButtons(rows).map((c) => c.custom_id)).toEqual(UPSCALED.map((u) => u.customId));
    // The refine row stays together.
    expect(rows[0]?.components.map((c) => ('label' in c ? c.label : undefined))).toEqual([
      'Upscale (Subtle)',
      'Upscale (Creative)',
      'Vary (Subtle)',
      'Vary (Strong)',
      'Vary (Region)',
    ]);
    // MJ's custom emoji name becomes a unicode emoji.
    expect(actionButtons(rows)[0]?.emoji).toEqual({ name: '⏫' });
  });

  it('breaks before the first variation even without a full U row', () => {
    const rows = renderButtons([GRID[0]!, GRID[1]!, GRID[5]!, GRID[6]!]);
    expect(rows.map((r) => r.components.length)).toEqual([2, 2]);
  });

  it('drops duplicates and id-less buttons', () => {
    const rows = renderButtons([GRID[0]!, GRID[0]!, b('', 'Web'), { ...GRID[0]!, label: 'again' }, GRID[1]!]);
    expect(valid(rows)).toEqual([]);
    expect(actionButtons(rows).map((c) => c.label)).toEqual(['U1', 'U2']);
  });

  it('fills labels, sanitises emoji and styles', () => {
    const rows = renderButtons([
      b(`MJ::JOB::reroll::0::${UUID}::SOLO`, '', ''),
      b(`MJ::JOB::pan_left::1::${UUID}::SOLO`, '', ':arrow_left:'),
      b('MJ::Picread::Retry', '', '\u1F504'),
      b(`MJ::JOB::upsample::1::${UUID}`, 'L'.repeat(200), '', 7),
      b(`MJ::JOB::upsample::2::${UUID}`, 'U2', '', 4),
      b(`MJ::JOB::upsample::3::${UUID}`, '   ', 'upscale_1', -1),
    ]);
    expect(valid(rows)).toEqual([]);
    const [reroll, pan, retry, long, danger, mapped] = actionButtons(rows);
    expect(reroll).toMatchObject({ label: 'Re-roll', style: ButtonStyle.Secondary });
    expect(reroll?.emoji).toBeUndefined();
    expect(pan).toMatchObject({ label: 'Pan Left' });
    expect(retry).toMatchObject({ label: 'Retry' });
    expect(retry?.emoji).toBeUndefined();
    expect(long?.label).toHaveLength(80);
    expect(long?.style).toBe(ButtonStyle.Secondary);
    expect(danger?.style).toBe(ButtonStyle.Danger);
    expect(mapped).toMatchObject({ emoji: { name: '⏫' }, style: ButtonStyle.Secondary });
    expect(mapped?.label).toBeUndefined();
  });

  it('shows used buttons as primary and disables on request, keeping the link usable', () => {
    const used = new Set([GRID[0]!.customId]);
    const rows = renderButtons(GRID, { usedCustomIds: used, disabled: true, imageUrl: IMAGE });
    const buttons = actionButtons(rows);
    expect(buttons[0]?.style).toBe(ButtonStyle.Primary);
    expect(buttons.slice(1).every((x) => x.style === ButtonStyle.Secondary)).toBe(true);
    expect(buttons.every((x) => x.disabled === true)).toBe(true);
    const link = rows.at(-1)?.components.at(-1);
    expect(link && 'url' in link ? link.label : undefined).toBe('Open image');
    expect(link && 'disabled' in link ? link.disabled : undefined).toBeUndefined();
  });

  it('keys an over-long customId and resolves it back', () => {
    const long = `MJ::JOB::upsample_v9_4x_creative_experimental_extra::1::${UUID}::${UUID}::SOLO`;
    expect(long.length).toBeGreaterThan(100);
    const rows = renderButtons([b(long, 'Upscale (Creative)'), GRID[0]!]);
    expect(valid(rows)).toEqual([]);
    const [keyed] = actionButtons(rows);
    expect(keyed?.custom_id).toBe(shortButtonKey(long));
    expect(resolveButtonCustomId(keyed!.custom_id, { buttons: [GRID[0]!, b(long)] })).toBe(long);
  });

  it('never exceeds 5 × 5 with 30 buttons, and keeps the link', () => {
    const many = Array.from({ length: 30 }, (_, i) => b(`MJ::JOB::upsample::${i}::${UUID}`, `B${i}`));
    const withLink = renderButtons(many, { imageUrl: IMAGE });
    expect(valid(withLink)).toEqual([]);
    expect(withLink).toHaveLength(5);
    expect(actionButtons(withLink)).toHaveLength(20);
    expect(withLink.at(-1)?.components[0]).toMatchObject({ style: ButtonStyle.Link });
    const noLink = renderButtons(many);
    expect(actionButtons(noLink).map((x) => x.label)).toEqual(many.slice(0, 25).map((m) => m.label));
  });

  it('packs alternating families tighter instead of dropping buttons', () => {
    // U, V, U, V … would start a row at every change: 12 natural rows of 1.
    const alternating = Array.from({ length: 12 }, (_, i) =>
      b(`MJ::JOB::${i % 2 ? 'variation' : 'upsample'}::${i}::${UUID}`, `X${i}`),
    );
    const rows = renderButtons(alternating, { imageUrl: IMAGE });
    expect(valid(rows)).toEqual([]);
    expect(actionButtons(rows)).toHaveLength(12);
  });

  it('adds the link only for safe, short http(s) URLs', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:image/png;base64,AA',
      'https://x.y/' + 'a'.repeat(600),
      '',
      null,
      undefined,
    ]) {
      const rows = renderButtons(GRID, { imageUrl: bad });
      expect(rows.flatMap((r) => r.components).some((c) => c.style === ButtonStyle.Link)).toBe(false);
    }
    expect(renderButtons([], { imageUrl: IMAGE })).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open image', url: IMAGE }],
      },
    ]);
    expect(renderButtons([])).toEqual([]);
  });
});
