// The cases of zh-cn-every-refusal.test.ts and zh-cn-every-error.test.ts: a table per kind of reason,
// keyed by the reasons themselves (src/replies/reasons.ts, src/mj/errors.ts) so that a new reason does
// not compile until a case drives it or names the zh-CN test that does; each case is run by a member
// whose Discord is in Simplified Chinese, and their private answer must be that reason's zh-CN sentence
// (its longest fixed part is in the text), in Chinese with no English left but names, ids and what the
// member or the server wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LANGUAGES, type MessageKey } from '../../src/i18n/index.js';
import type { AttachmentUpload } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { ForcedSubmit, MjFault } from '../support/mj/index.js';
import { answerOf, buttonIdWith, showFinishedTask, type ClickAnswer } from './support-clicks.js';
import { ZH, expectChinese, zhClick } from './support-zh-cn.js';

const ZH_TEXTS = LANGUAGES['zh-CN'] as Readonly<Record<string, string>>;

/** The longest part of a zh-CN sentence that no placeholder fills: what every answer with it contains. */
export function fixedPartOf(key: MessageKey): string {
  const text = ZH_TEXTS[key] ?? ZH_TEXTS[`${key}_other`] ?? '';
  return text.split(/\{\{[^}]+\}\}/).reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** A case: how a zh-CN member meets it, the sentence they must read, what the text may keep in Latin letters. */
export interface Case {
  key: MessageKey;
  drive: (h: Harness, member: string) => Promise<ClickAnswer>;
  allowed?: readonly string[];
  /** Met on the file's second bot (nzk): default its first. */
  on?: 'b';
  /** The API's own words, which the answer quotes as they came. */
  quotes?: string;
  /** Submits the case makes on its way before the answer it checks (default 0). */
  setupSubmits?: number;
}
/** Met in Chinese by another zh-CN e2e case ([file, words of its test's name]), or not reachable through Discord (why). */
export type Elsewhere =
  | { elsewhere: readonly [file: string, test: string] }
  | { unreachable: string }
  /** A case Discord can bring about that no stand-in flow drives yet: said, so it stays in sight. */
  | { notDriven: string };

const submits = (h: Harness) => h.mj.requests.filter((r) => r.method === 'POST' && /\/submit\//.test(r.path)).length;

export function command(
  h: Harness,
  name: string,
  options: Record<string, string | number | boolean | AttachmentUpload>,
  user: string,
  where: { guildId?: string; channelId?: string; dm?: boolean } = {},
): Promise<ClickAnswer> {
  return answerOf(h, h.discord.slashCommand({ name, options, user, locale: ZH, ...where }).id);
}

/** A finished grid (or upscale) this member showed with /mjtask, so under CLICK_POLICY requester their clicks pass. */
export const ownGrid = (h: Harness, member: string, action = 'IMAGINE') =>
  showFinishedTask(h, { action, prompt: 'a tea house --ar 1:1' }, member);

/** U1 on the member's own grid, after the API's next answer to it is forced. */
export async function clickU1With(h: Harness, member: string, answer: ForcedSubmit | { fault: MjFault }) {
  const grid = await ownGrid(h, member);
  if ('fault' in answer) h.mj.fault('action', answer.fault, 1);
  else h.mj.nextSubmit('action', answer);
  return zhClick(h, grid, buttonIdWith(h, grid, '::upsample::1::'), { user: member });
}

/**
 * One test per case: the zh-CN member meets it and reads its sentence privately, in Chinese; unless
 * `paid`, nothing is submitted on the way (past the case's own setup). One more test checks that every
 * other case names a zh-CN test that exists, or says why Discord cannot bring it about.
 */
export function runCases(
  bots: { a: () => Harness; b: () => Harness },
  cases: Record<string, Case | Elsewhere>,
  paid: boolean,
) {
  const driven = Object.entries(cases).filter((e): e is [string, Case] => 'drive' in e[1]);
  it.each(driven)('%s', async (_reason, c) => {
    const h = c.on === 'b' ? bots.b() : bots.a();
    const member = h.discord.addMember({ username: 'zh-member' }).id;
    const before = submits(h);
    const answer = await c.drive(h, member);
    expect(answer.ephemeral, 'answered privately').toBe(true);
    expect(answer.text).toContain(fixedPartOf(c.key));
    if (c.quotes !== undefined) expect(answer.text, "the API's words, verbatim").toContain(c.quotes);
    expectChinese(answer.text, c.allowed ?? []);
    if (!paid) expect(submits(h) - before, 'nothing submitted').toBe(c.setupSubmits ?? 0);
  });
  const others = Object.entries(cases).filter((e): e is [string, Elsewhere] => !('drive' in e[1]));
  if (others.length > 0)
    it('names where every other case is met, or why it cannot be', () => {
      for (const [reason, c] of others) {
        if ('unreachable' in c) expect(c.unreachable.length, reason).toBeGreaterThan(20);
        else if ('notDriven' in c) expect(c.notDriven.length, reason).toBeGreaterThan(20);
        else expect(readFileSync(join(import.meta.dirname, c.elsewhere[0]), 'utf8'), reason).toContain(c.elsewhere[1]);
      }
    });
}

/** /mjtask of a known task as the zh-CN member, its fetch answered with `fault`. */
export async function mjtaskWith(h: Harness, member: string, fault: MjFault) {
  const id = h.mj.createTask({ status: 'SUCCESS', prompt: 'a koi pond' });
  h.mj.fault('fetch', fault, 1);
  return command(h, 'mjtask', { id }, member);
}
