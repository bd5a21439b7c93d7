// Pure: the doctor's report as printed lines, every one redacted of the secrets it might echo.
import { redactSecrets } from '../log.js';
import type { CheckResult, CheckStatus, DoctorReport } from './types.js';

const SYMBOL: Record<CheckStatus, string> = { ok: '✔', warn: '⚠', fail: '✖', skip: '–' };

export function formatCheck(check: CheckResult): string {
  const fix = check.fix && (check.status === 'fail' || check.status === 'warn') ? ` → ${check.fix}` : '';
  return `${SYMBOL[check.status]} ${check.name} — ${check.detail}${fix}`;
}

export function summaryLine(checks: readonly CheckResult[]): string {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const [oks, warns, fails, skips] = [count('ok'), count('warn'), count('fail'), count('skip')];
  const parts = [`${oks} ok`, `${warns} warning${warns === 1 ? '' : 's'}`, `${fails} failed`, `${skips} skipped`];
  const verdict =
    fails > 0
      ? 'fix the ✖ lines, then run the doctor again'
      : warns > 0
        ? 'the bot can start; the ⚠ lines are worth a look'
        : 'the bot is ready to start';
  return `${parts.join(', ')}: ${verdict}.`;
}

/** The lines `npm run doctor` prints: one per check, then the summary. */
export function formatReport(report: DoctorReport): string[] {
  return [...report.checks.map(formatCheck), summaryLine(report.checks)].map((line) =>
    redactSecrets(line, report.secrets),
  );
}
