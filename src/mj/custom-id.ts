// What a Midjourney button customId means. The proxy family copies MJ's Discord custom_ids verbatim
// (`MJ::JOB::upsample::1::<uuid>`, `MJ::CustomZoom::<uuid>`, …), so the meaning is read from the id's
// `::` segments.
// The bot uses this to pick a label when the proxy sends none, to decide whether a click must open a
// modal first, and to hide buttons an aggregator would reject.
import type { MjButton } from './schema.js';

export type MjButtonFamily =
  | 'upscale'
  | 'variation'
  | 'reroll'
  | 'upscale_hd'
  | 'vary_subtle'
  | 'vary_strong'
  | 'vary_region'
  | 'zoom_out'
  | 'custom_zoom'
  | 'pan'
  | 'animate'
  | 'video_upscale'
  | 'bookmark'
  | 'pic_reader'
  | 'picread_retry'
  | 'prompt_analyzer'
  | 'unknown';

export type PanDirection = 'left' | 'right' | 'up' | 'down';

/**
 * - `modal: 'always'`: the proxy answers with a MODAL task every time (Custom Zoom, Vary Region,
 *   Describe/Shorten → imagine), so the bot should collect the prompt before submitting.
 * - `'remix'`: MODAL only when the MJ account has Remix on; the click flow must still handle a MODAL result.
 * - `'never'`: a plain action.
 */
export interface MjButtonKind {
  family: MjButtonFamily;
  /** U1–U4 / V1–V4 / PicReader 1–4 / PromptAnalyzer n. */
  index?: number;
  direction?: PanDirection;
  modal: 'always' | 'remix' | 'never';
  /** Vary (Region) needs a PNG mask, which a Discord modal cannot collect. */
  maskRequired: boolean;
  /**
   * new-api style aggregators reject everything but upsample*, *variation, pan*, reroll, Outpaint, CustomZoom, Inpaint.
   * The bot decides per server in ./capabilities.ts; a unit test keeps new-api's column there equal to this.
   */
  aggregatorSupported: boolean;
  /** Readable label for a button the proxy sent without label (and without a usable emoji). */
  fallbackLabel: string;
}

export const MJ_CUSTOM_ID_PREFIX = 'MJ::';
/** Prefix of the short key used as Discord custom_id when a customId cannot be used verbatim. */
export const SHORT_BUTTON_KEY_PREFIX = 'mjk:';
/** Discord's custom_id limit (kept here so the mj layer does not depend on the renderer). */
const DISCORD_CUSTOM_ID_MAX = 100;

export function isMjCustomId(s: string): boolean {
  return typeof s === 'string' && s.startsWith(MJ_CUSTOM_ID_PREFIX);
}

function kind(
  family: MjButtonFamily,
  fallbackLabel: string,
  extra: Partial<Pick<MjButtonKind, 'index' | 'direction' | 'modal' | 'maskRequired' | 'aggregatorSupported'>> = {},
): MjButtonKind {
  const out: MjButtonKind = {
    family,
    modal: extra.modal ?? 'never',
    maskRequired: extra.maskRequired ?? false,
    aggregatorSupported: extra.aggregatorSupported ?? false,
    fallbackLabel,
  };
  if (extra.index !== undefined) out.index = extra.index;
  if (extra.direction !== undefined) out.direction = extra.direction;
  return out;
}

function parseIndex(segment: string | undefined): number | undefined {
  return segment !== undefined && /^\d{1,3}$/.test(segment) ? Number(segment) : undefined;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `upsample_v6r1_2x_creative` → "Upscale (Creative)"; `upsample_v5_4x` → "Upscale (4x)". */
function upscaleHdLabel(name: string): string {
  if (name.includes('subtle')) return 'Upscale (Subtle)';
  if (name.includes('creative')) return 'Upscale (Creative)';
  const factor = /_(\d)x(?:_|$)/.exec(name);
  return factor ? `Upscale (${factor[1]}x)` : 'Upscale';
}

/** A readable label for an id this catalog does not know: `MJ::JOB::make_square::1::…` → "Make square". */
function unknownLabel(name: string | undefined): string {
  const words = (name ?? '').replace(/[^A-Za-z0-9]+/g, ' ').trim();
  if (words === '' || /^\d+$/.test(words)) return 'Action';
  return capitalize(words.toLowerCase()).slice(0, 40);
}

/** Meaning of a `MJ::JOB::<name>::<n>::<uuid>[::SOLO]` id. */
function parseJob(name: string, indexSegment: string | undefined): MjButtonKind {
  const index = parseIndex(indexSegment);
  const agg = { aggregatorSupported: true };
  if (name === 'upsample') return kind('upscale', index ? `U${index}` : 'Upscale', { ...agg, index });
  if (name.startsWith('upsample_')) return kind('upscale_hd', upscaleHdLabel(name), agg);
  if (name === 'variation')
    return kind('variation', index ? `V${index}` : 'Variation', { ...agg, index, modal: 'remix' });
  if (name === 'low_variation') return kind('vary_subtle', 'Vary (Subtle)', { ...agg, modal: 'remix' });
  if (name === 'high_variation') return kind('vary_strong', 'Vary (Strong)', { ...agg, modal: 'remix' });
  if (name === 'reroll') return kind('reroll', 'Re-roll', { ...agg, modal: 'remix' });
  const pan = /^pan_(left|right|up|down)$/.exec(name);
  if (pan) {
    const direction = pan[1] as PanDirection;
    return kind('pan', `Pan ${capitalize(direction)}`, { ...agg, direction, modal: 'remix' });
  }
  const animate = /^animate_(high|low)(_extend)?$/.exec(name);
  if (animate) {
    const verb = animate[2] ? 'Extend' : 'Animate';
    return kind('animate', `${verb} (${capitalize(animate[1] ?? '')} motion)`, { modal: 'remix' });
  }
  if (name === 'video_virtual_upscale') return kind('video_upscale', index ? `U${index}` : 'Upscale video', { index });
  return kind('unknown', unknownLabel(name));
}

/** What an MJ customId means. Never throws; anything unrecognised is family 'unknown'. */
export function parseMjCustomId(customId: string): MjButtonKind {
  if (!isMjCustomId(customId)) return kind('unknown', 'Action');
  const parts = customId.split('::');
  const [, head, second, third] = parts;
  switch (head) {
    case 'JOB':
      return parseJob(second ?? '', third);
    case 'Inpaint':
      return kind('vary_region', 'Vary (Region)', { modal: 'always', maskRequired: true, aggregatorSupported: true });
    case 'Outpaint': {
      // The number is the share of the new canvas the old image keeps: 50 → 2x, 75 → 1.5x.
      const label = second === '50' ? 'Zoom Out 2x' : second === '75' ? 'Zoom Out 1.5x' : 'Zoom Out';
      return kind('zoom_out', label, { aggregatorSupported: true });
    }
    case 'CustomZoom':
      // Both the real `MJ::CustomZoom::<uuid>` and FORK's synthesised `MJ::CustomZoom::1::<id>`.
      return kind('custom_zoom', 'Custom Zoom', { modal: 'always', aggregatorSupported: true });
    case 'BOOKMARK':
      return kind('bookmark', 'Bookmark');
    case 'Picread':
      return second === 'Retry' ? kind('picread_retry', 'Retry') : kind('unknown', unknownLabel(second));
    case 'Job': {
      if (second === 'PicReader') {
        if (third === 'all') return kind('pic_reader', 'Imagine all');
        const index = parseIndex(third);
        return kind('pic_reader', index ? `Imagine ${index}` : 'Imagine', { index, modal: 'always' });
      }
      if (second === 'PromptAnalyzer') {
        const index = parseIndex(third);
        return kind('prompt_analyzer', index ? `Imagine ${index}` : 'Imagine', { index, modal: 'always' });
      }
      return kind('unknown', unknownLabel(second));
    }
    default:
      return kind('unknown', unknownLabel(head));
  }
}

/**
 * A deterministic short key (`mjk:` + 16 hex digits of 64-bit FNV-1a over the UTF-8 bytes, 20 chars)
 * for a customId that cannot serve as a Discord custom_id. The click handler maps it back with
 * resolveButtonCustomId after re-fetching the task.
 */
export function shortButtonKey(customId: string): string {
  const bytes = new TextEncoder().encode(customId);
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return SHORT_BUTTON_KEY_PREFIX + hash.toString(16).padStart(16, '0');
}

/**
 * The Discord custom_id for an MJ customId: the customId itself when it is an `MJ::` id of at most 100
 * characters (the rule in practice: ≤ 81 seen), otherwise its short key. Non-`MJ::` ids are keyed too,
 * so every custom_id the renderer emits starts with `MJ::` or `mjk:` and cannot collide with the
 * bot's own component ids.
 */
export function discordCustomIdFor(customId: string): string {
  return isMjCustomId(customId) && customId.length <= DISCORD_CUSTOM_ID_MAX ? customId : shortButtonKey(customId);
}

/**
 * The MJ customId behind a clicked Discord custom_id: an `MJ::` id is itself (whether or not the
 * task still lists it: the proxy is the judge); an `mjk:` key is the task's button with that key, or
 * null; anything else is null.
 */
export function resolveButtonCustomId(
  discordCustomId: string,
  task: { buttons: ReadonlyArray<Pick<MjButton, 'customId'>> },
): string | null {
  if (isMjCustomId(discordCustomId)) return discordCustomId;
  if (!discordCustomId.startsWith(SHORT_BUTTON_KEY_PREFIX)) return null;
  for (const button of task.buttons) {
    if (button.customId !== '' && shortButtonKey(button.customId) === discordCustomId) return button.customId;
  }
  return null;
}
