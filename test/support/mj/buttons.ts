// Button sets and customId semantics, as the proxies copy them from Midjourney: which buttons a result carries,
// what task a button creates on each flavor, and which buttons open a modal.
import type { MjButtonJson } from './types.js';

export const button = (customId: string, label: string, emoji = ''): MjButtonJson => ({
  customId,
  emoji,
  label,
  type: 2,
  style: 2,
});

const EMOJI = {
  reroll: '\u{1F504}', // 🔄
  wand: '\u{1FA84}', // 🪄
  brush: '\u{1F58C}\u{FE0F}', // 🖌️
  zoom: '\u{1F50D}', // 🔍
  left: '\u{2B05}\u{FE0F}', // ⬅️
  right: '\u{27A1}\u{FE0F}', // ➡️
  up: '\u{2B06}\u{FE0F}', // ⬆️
  down: '\u{2B07}\u{FE0F}', // ⬇️
  heart: '\u{2764}\u{FE0F}', // ❤️
} as const;

/** The grid set (imagine/variation/reroll/pan/zoom results): U1–U4, 🔄, V1–V4, in Discord row order. */
export function gridButtons(jobUuid: string): MjButtonJson[] {
  const ups = [1, 2, 3, 4].map((n) => button(`MJ::JOB::upsample::${n}::${jobUuid}`, `U${n}`));
  const vars = [1, 2, 3, 4].map((n) => button(`MJ::JOB::variation::${n}::${jobUuid}`, `V${n}`));
  return [...ups, button(`MJ::JOB::reroll::0::${jobUuid}::SOLO`, '', EMOJI.reroll), ...vars];
}

/** The v6.1 upscale set. "upscale_1" is a Discord custom-emoji name, as the proxies return it. */
export function upscaleButtons(jobUuid: string): MjButtonJson[] {
  const solo = (family: string) => `MJ::JOB::${family}::1::${jobUuid}::SOLO`;
  return [
    button(solo('upsample_v6r1_2x_subtle'), 'Upscale (Subtle)', 'upscale_1'),
    button(solo('upsample_v6r1_2x_creative'), 'Upscale (Creative)', 'upscale_1'),
    button(solo('low_variation'), 'Vary (Subtle)', EMOJI.wand),
    button(solo('high_variation'), 'Vary (Strong)', EMOJI.wand),
    button(`MJ::Inpaint::1::${jobUuid}::SOLO`, 'Vary (Region)', EMOJI.brush),
    button(`MJ::Outpaint::50::1::${jobUuid}::SOLO`, 'Zoom Out 2x', EMOJI.zoom),
    button(`MJ::Outpaint::75::1::${jobUuid}::SOLO`, 'Zoom Out 1.5x', EMOJI.zoom),
    button(`MJ::CustomZoom::${jobUuid}`, 'Custom Zoom', EMOJI.zoom),
    button(solo('pan_left'), '', EMOJI.left),
    button(solo('pan_right'), '', EMOJI.right),
    button(solo('pan_up'), '', EMOJI.up),
    button(solo('pan_down'), '', EMOJI.down),
    button(`MJ::BOOKMARK::${jobUuid}`, '', EMOJI.heart),
  ];
}

/** 1️⃣–5️⃣ under a Shorten (ASSUMPTION: MJ::Job::PromptAnalyzer::<n>; the fork reads n as the last segment, TaskService.cs L1919). */
export function shortenButtons(): MjButtonJson[] {
  return [1, 2, 3, 4, 5].map((n) => button(`MJ::Job::PromptAnalyzer::${n}`, '', `${n}\u{FE0F}\u{20E3}`));
}

/** Buttons a SUCCESS result of this (proxy-labelled) action carries. */
export function successButtons(action: string, jobUuid: string): MjButtonJson[] {
  if (action === 'UPSCALE' || action === 'UPSCALE_HD') return upscaleButtons(jobUuid);
  if (action === 'VIDEO' || action === 'DESCRIBE') return [];
  if (action === 'SHORTEN') return shortenButtons();
  return gridButtons(jobUuid);
}

/** The customId's family: the segment after "MJ::JOB::" or after "MJ::" (upsample, Inpaint, BOOKMARK…). */
export function customIdFamily(customId: string): string {
  const parts = customId.split('::');
  return (parts[1] === 'JOB' ? parts[2] : parts[1]) ?? '';
}

/** Grid U buttons (not the upscale-set "upsample_v6…" ones): repeating one answers code 21 on NZK. */
export function isGridUpscale(customId: string): boolean {
  return /^MJ::JOB::upsample::[1-4]::/.test(customId);
}

/** FORK returns code 1 with result = the parent id for ❤️, creating nothing. */
export function isBookmark(customId: string): boolean {
  return customId.startsWith('MJ::BOOKMARK::');
}

/** Buttons that always open a modal (FORK TaskService.SubmitAction; PLUS docs §3). */
export function alwaysModal(customId: string): 'CustomZoom' | 'Inpaint' | 'prompt' | null {
  if (customId.startsWith('MJ::CustomZoom::')) return 'CustomZoom';
  if (customId.startsWith('MJ::Inpaint::')) return 'Inpaint';
  if (/^MJ::Job::(PicReader::[1-4]|PromptAnalyzer::)/.test(customId)) return 'prompt';
  return null;
}

/** Buttons that open a modal when the account has Remix on. */
export function modalWithRemix(customId: string): boolean {
  const family = customIdFamily(customId);
  return /^(variation|low_variation|high_variation|reroll|pan_(left|right|up|down))$/.test(family);
}

/** FORK HEAD's action for the child task (SubmitController.Action). */
export function proxyChildAction(customId: string, parentAction: string): string {
  const family = customIdFamily(customId);
  if (family === 'upsample') return 'UPSCALE';
  if (family.startsWith('upsample_')) return 'UPSCALE_HD';
  if (/^(variation|low_variation|high_variation|Inpaint)$/.test(family)) return 'VARIATION';
  if (family === 'Outpaint' || family === 'CustomZoom') return 'ZOOM';
  if (family.startsWith('pan_')) return 'PAN';
  if (family === 'reroll')
    return parentAction === 'UPSCALE' || parentAction === 'UPSCALE_HD' || parentAction === ''
      ? 'IMAGINE'
      : parentAction;
  if (family.startsWith('animate_')) return 'VIDEO';
  if (family === 'Job' && customId.includes('::PicReader::')) return 'IMAGINE';
  if (family === 'Job' && customId.includes('::PromptAnalyzer::')) return 'IMAGINE';
  if (family === 'Picread') return 'DESCRIBE';
  return 'ACTION';
}

/**
 * new-api's own label (service/midjourney.go CoverPlusActionToNormalAction), or null for customIds it
 * rejects with "unknown_action:<customId>" (BOOKMARK, PicReader, animate, …).
 */
export function aggregatorChildAction(customId: string): string | null {
  const family = customIdFamily(customId);
  if (family.includes('upsample')) return 'UPSCALE';
  if (family.includes('variation')) {
    if (family === 'low_variation') return 'LOW_VARIATION';
    if (family === 'high_variation') return 'HIGH_VARIATION';
    return 'VARIATION';
  }
  if (family.includes('pan')) return 'PAN';
  if (family.includes('reroll')) return 'REROLL';
  if (family === 'Outpaint') return 'ZOOM';
  if (family === 'CustomZoom') return 'CUSTOM_ZOOM';
  if (family === 'Inpaint') return 'INPAINT';
  return null;
}

/** The child's action as each flavor labels it. */
export function childActions(customId: string, parentAction: string): { proxy: string; aggregator: string } {
  return {
    proxy: proxyChildAction(customId, parentAction),
    aggregator: aggregatorChildAction(customId) ?? proxyChildAction(customId, parentAction),
  };
}
