// README's "What works on which server" table is the bot's capabilities (src/mj/capabilities.ts), and
// those agree with the Midjourney stand-in's dialect profiles: a button the bot sends with
// /submit/action is one the profile's server runs, and one it hides is one the server refuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type ButtonClass, type ButtonRoute } from '../../src/mj/capabilities.js';
import { parseMjCustomId } from '../../src/mj/custom-id.js';
import type { MjDialect } from '../../src/mj/dialect.js';
import { classOf } from '../../src/mj/capabilities.js';
import { aggregatorChildAction } from '../support/mj/buttons.js';
import { DIALECTS } from '../support/mj/dialects/index.js';

const DIALECT_COLUMNS: [MjDialect, string][] = [
  ['nzk', 'novicezk (nzk)'],
  ['fork', 'trueai-org fork'],
  ['plus', 'plus'],
  ['newapi', 'new-api'],
];

/** One real customId per row, and the row's name. */
const ROWS: [ButtonClass, string, string][] = [
  ['upscale', 'U1–U4', 'MJ::JOB::upsample::1::u'],
  ['reroll', '🔄 Re-roll', 'MJ::JOB::reroll::0::u::SOLO'],
  ['variation', 'V1–V4', 'MJ::JOB::variation::1::u'],
  ['upscale_hd', 'Upscale (Subtle / Creative)', 'MJ::JOB::upsample_v6_2x_subtle::1::u::SOLO'],
  ['vary_subtle', 'Vary (Subtle)', 'MJ::JOB::low_variation::1::u::SOLO'],
  ['vary_strong', 'Vary (Strong)', 'MJ::JOB::high_variation::1::u::SOLO'],
  ['zoom_out', 'Zoom Out 2x / 1.5x', 'MJ::Outpaint::50::1::u::SOLO'],
  ['custom_zoom', 'Custom Zoom', 'MJ::CustomZoom::u'],
  ['pan', 'Pan ⬅️➡️⬆️⬇️', 'MJ::JOB::pan_left::1::u::SOLO'],
  ['animate', 'Animate / Extend', 'MJ::JOB::animate_high::1::u::SOLO'],
  ['video_upscale', 'Video U1–U4', 'MJ::JOB::video_virtual_upscale::1::u'],
  ['pic_reader', 'Describe 1️⃣–4️⃣', 'MJ::Job::PicReader::1'],
  ['pic_reader_all', 'Describe 🎉 Imagine all', 'MJ::Job::PicReader::all'],
  ['picread_retry', 'Describe 🔄 Retry', 'MJ::Picread::Retry'],
  ['prompt_analyzer', "Shorten's prompts", 'MJ::Job::PromptAnalyzer::1'],
  ['bookmark', '❤️ Bookmark', 'MJ::BOOKMARK::u'],
];

/** What the servers offer beyond the buttons (DialectOffers, NewTaskOptions), one row each. */
const OFFER_ROWS: [string, (d: MjDialect) => boolean][] = [
  ['`/describe`, `/blend`, image prompts on `/imagine`', () => true],
  ['`/shorten`', (d) => CAPABILITIES[d].offers.shorten],
  ['`speed` (fast / relax / turbo)', (d) => CAPABILITIES[d].newTask.speed],
  ['`model` (midjourney / niji)', (d) => CAPABILITIES[d].newTask.model],
  ["✉️ Seed (the bot's button)", (d) => CAPABILITIES[d].offers.imageSeed],
];
const OFFER_CELL = (offered: boolean) => (offered ? '✅' : '— (not offered)');

const CELL: Record<ButtonRoute, string> = {
  action: '✅',
  change: '✅ `/submit/change`',
  imagine: '✅ as `/imagine` of its prompt',
  describe: '✅ as `/describe` of its image',
  hidden: '— (not shown)',
};

function dialectTable(): string {
  const head = `| Button or command | ${DIALECT_COLUMNS.map(([, name]) => name).join(' | ')} |`;
  const rule = `| --- | ${DIALECT_COLUMNS.map(() => '---').join(' | ')} |`;
  const rows = ROWS.map(
    ([cls, name]) => `| ${name} | ${DIALECT_COLUMNS.map(([d]) => CELL[CAPABILITIES[d].routes[cls]]).join(' | ')} |`,
  );
  const offers = OFFER_ROWS.map(
    ([name, offered]) => `| ${name} | ${DIALECT_COLUMNS.map(([d]) => OFFER_CELL(offered(d))).join(' | ')} |`,
  );
  return [head, rule, ...rows, ...offers].join('\n');
}

/** The table between the README's markers, cells trimmed (Prettier pads them). */
function readmeTable(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- dialect-table:start -->\n([\s\S]*?)\n<!-- dialect-table:end -->/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .map((c) => (/^\s*-+\s*$/.test(c) ? '---' : c.trim()))
        .join(' | ')
        .trim(),
    )
    .join('\n');
}

const normal = (table: string) =>
  table
    .split('\n')
    .map((l) =>
      l
        .split('|')
        .map((c) => c.trim())
        .join(' | ')
        .trim(),
    )
    .join('\n');

/** Does the stand-in's server run this button through /submit/action (as far as its profile says)? */
function profileRuns(dialect: MjDialect, customId: string): boolean {
  const profile = DIALECTS[dialect];
  if (!profile.routes.has('action')) return false;
  if (profile.submit.buttonRefusal(customId) !== null) return false;
  if (dialect === 'newapi' && aggregatorChildAction(customId) === null) return false;
  return true;
}

describe('What works on which server', () => {
  it('the README table is generated from the capabilities', () => {
    expect(readmeTable(), `README.md should hold:\n${dialectTable()}`).toBe(normal(dialectTable()));
  });

  it.each(DIALECT_COLUMNS.map(([d]) => d))('%s: the bot sends /submit/action only for what the profile runs', (d) => {
    for (const [cls, , customId] of ROWS) {
      expect(classOf(parseMjCustomId(customId)), customId).toBe(cls);
      const route = CAPABILITIES[d].routes[cls];
      if (route === 'action') expect(profileRuns(d, customId), `${d} runs ${customId}`).toBe(true);
      // Refused by the server: hidden, or done another way (change, imagine).
      if (!profileRuns(d, customId)) expect(route, `${d} ${customId}`).not.toBe('action');
    }
  });

  it("new-api's column agrees with each customId's aggregatorSupported", () => {
    for (const [cls, , customId] of ROWS) {
      const runs = CAPABILITIES.newapi.routes[cls] === 'action';
      expect(runs, customId).toBe(parseMjCustomId(customId).aggregatorSupported);
    }
  });

  it('nzk presses U/V/🔄 through /submit/change, which its profile has', () => {
    expect(DIALECTS.nzk.routes.has('change')).toBe(true);
    expect(CAPABILITIES.nzk.buildsGridButtons).toBe(true);
  });
});
