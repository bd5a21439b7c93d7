// MJ buttons → Discord action rows. The proxy hands buttons as a flat list (MJ's rows are lost) with
// raw labels, emoji names and styles; this rebuilds rows the way Midjourney lays them out and makes
// sure the result is always a message Discord accepts, whatever the proxy sent.
import { ENGLISH, type Translate } from '../i18n/index.js';
import type { APIActionRowComponent, APIButtonComponent, APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import { discordCustomIdFor, parseMjCustomId, type MjButtonFamily } from '../mj/custom-id.js';
import type { MjButton } from '../mj/schema.js';
import { toButtonEmoji } from './emoji.js';
import {
  ACTION_ROWS_MAX,
  BUTTON_LABEL_MAX,
  BUTTONS_PER_ROW_MAX,
  LINK_BUTTON_URL_MAX,
  oneLine,
  safeHttpUrl,
  truncate,
} from './limits.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

export interface RenderButtonsOptions {
  /** MJ customIds (or their Discord custom_ids) already used: shown blue (style 1), as Midjourney does. */
  usedCustomIds?: ReadonlySet<string>;
  /** Grey out every action button (the link stays usable). */
  disabled?: boolean;
  /** Adds a final "Open image" link button when this is an http(s) URL of at most 512 characters. */
  imageUrl?: string | null;
  /** A video result (the fork's videoUrl): the link opens it instead, labelled "Open video". */
  videoUrl?: string | null;
  /**
   * The bot's own buttons (Seed, …), at most 5 with the link: they go last, beside the link, and are
   * never dropped; the task's buttons are packed tighter to make room.
   */
  ownButtons?: readonly APIButtonComponentWithCustomId[];
  /** The language of the link's label (default English). */
  t?: Translate;
}

const PRIMARY = 1;
const SECONDARY = 2;

/**
 * Which of Midjourney's rows a family belongs to. A new row starts when the section changes
 * (grid: U1–U4 🔄 | V1–V4; upscale: upscale/vary | zoom | pan | animate | bookmark).
 * Unknown buttons join whatever row they follow.
 */
const SECTION: Readonly<Record<MjButtonFamily, string | null>> = {
  upscale: 'grid-u',
  reroll: 'grid-u',
  video_upscale: 'grid-u',
  variation: 'grid-v',
  upscale_hd: 'refine',
  vary_subtle: 'refine',
  vary_strong: 'refine',
  vary_region: 'refine',
  zoom_out: 'zoom',
  custom_zoom: 'zoom',
  pan: 'pan',
  animate: 'animate',
  bookmark: 'extra',
  pic_reader: 'describe',
  picread_retry: 'describe',
  prompt_analyzer: 'describe',
  unknown: null,
};

function toDiscordButton(
  button: MjButton,
  customId: string,
  opts: RenderButtonsOptions,
): APIButtonComponentWithCustomId {
  const kind = parseMjCustomId(button.customId);
  const emoji = toButtonEmoji(button.emoji);
  let label = truncate(oneLine(button.label), BUTTON_LABEL_MAX);
  if (label === '' && emoji === null) label = truncate(kind.fallbackLabel, BUTTON_LABEL_MAX);
  const used = opts.usedCustomIds?.has(button.customId) === true || opts.usedCustomIds?.has(customId) === true;
  const style = used ? PRIMARY : button.style >= 1 && button.style <= 4 ? button.style : SECONDARY;
  const out: APIButtonComponentWithCustomId = {
    type: 2,
    style: style,
    custom_id: customId,
  };
  if (label !== '') out.label = label;
  if (emoji !== null) out.emoji = emoji;
  if (opts.disabled === true) out.disabled = true;
  return out;
}

/** Rows following MJ's sections, each at most 5 wide. */
function naturalRows(
  items: ReadonlyArray<{ button: APIButtonComponentWithCustomId; section: string | null }>,
): APIButtonComponentWithCustomId[][] {
  const rows: APIButtonComponentWithCustomId[][] = [];
  let current: APIButtonComponentWithCustomId[] = [];
  let currentSection: string | null = null;
  for (const { button, section } of items) {
    const sectionChanges = section !== null && currentSection !== null && section !== currentSection;
    if (current.length > 0 && (current.length >= BUTTONS_PER_ROW_MAX || sectionChanges)) {
      rows.push(current);
      current = [];
      currentSection = null;
    }
    current.push(button);
    if (section !== null) currentSection = section;
  }
  if (current.length > 0) rows.push(current);
  return rows;
}

/** Merge the adjacent pair of rows with the fewest buttons (if it fits in one row) until `maxRows` is met. */
function mergeRows<T>(rows: T[][], maxRows: number): T[][] {
  const out = rows.map((r) => [...r]);
  while (out.length > maxRows) {
    let best = -1;
    for (let i = 0; i + 1 < out.length; i++) {
      const size = (out[i]?.length ?? 0) + (out[i + 1]?.length ?? 0);
      if (size <= BUTTONS_PER_ROW_MAX && (best < 0 || size < (out[best]?.length ?? 0) + (out[best + 1]?.length ?? 0)))
        best = i;
    }
    if (best < 0) break;
    out.splice(best, 2, [...(out[best] ?? []), ...(out[best + 1] ?? [])]);
  }
  return out;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The task's MJ buttons as Discord action rows: custom_id = the MJ customId verbatim (a short
 * `mjk:` key when it cannot be), duplicates and id-less buttons dropped, emoji only when Discord
 * accepts it, a label always present, at most 5 × 5 including a final "Open image" link, which
 * shares the last row when it has room. When the buttons do not fit, rows are packed tighter and the
 * overflow is dropped (the link is kept).
 */
export function renderButtons(buttons: readonly MjButton[], opts: RenderButtonsOptions = {}): ButtonRow[] {
  const seen = new Set<string>();
  const items: { button: APIButtonComponentWithCustomId; section: string | null }[] = [];
  for (const button of buttons) {
    if (typeof button.customId !== 'string' || button.customId === '') continue;
    const customId = discordCustomIdFor(button.customId);
    if (seen.has(customId)) continue;
    seen.add(customId);
    items.push({
      button: toDiscordButton(button, customId, opts),
      section: SECTION[parseMjCustomId(button.customId).family],
    });
  }

  const videoUrl = safeHttpUrl(opts.videoUrl, LINK_BUTTON_URL_MAX);
  const linkUrl = videoUrl ?? safeHttpUrl(opts.imageUrl, LINK_BUTTON_URL_MAX);
  const t = opts.t ?? ENGLISH;
  const label = videoUrl !== null ? t('task.open_video') : t('task.open_image');
  const link: APIButtonComponent[] = linkUrl === null ? [] : [{ type: 2, style: 5, label, url: linkUrl }];
  const own = (opts.ownButtons ?? []).filter((b) => !seen.has(b.custom_id));
  const trailing: APIButtonComponent[] = [...own.slice(0, BUTTONS_PER_ROW_MAX - link.length), ...link];
  if (trailing.length === 0) return packRows(items, ACTION_ROWS_MAX).map((components) => ({ type: 1, components }));

  // The link (and the bot's own buttons) join the last row when there is room (Midjourney puts its web
  // link beside the other buttons); they take a row of their own only when the last row is full, and
  // are never dropped.
  let rows: APIButtonComponent[][] = packRows(items, ACTION_ROWS_MAX);
  const last = rows.at(-1);
  if (last !== undefined && last.length + trailing.length <= BUTTONS_PER_ROW_MAX)
    rows = [...rows.slice(0, -1), [...last, ...trailing]];
  else if (rows.length < ACTION_ROWS_MAX) rows = [...rows, trailing];
  else rows = [...packRows(items, ACTION_ROWS_MAX - 1), trailing];
  return rows.map((components) => ({ type: 1, components }));
}

/** Midjourney's rows, packed tighter when they do not fit in `maxRows`; the overflow is dropped. */
function packRows(
  items: ReadonlyArray<{ button: APIButtonComponentWithCustomId; section: string | null }>,
  maxRows: number,
): APIButtonComponentWithCustomId[][] {
  let rows = mergeRows(naturalRows(items), maxRows);
  if (rows.length > maxRows)
    rows = chunk(
      items.map((i) => i.button),
      BUTTONS_PER_ROW_MAX,
    );
  return rows.slice(0, maxRows);
}
