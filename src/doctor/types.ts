// What `npm run doctor` reports: one result per check, in the order an admin fixes things.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Short, stable label, e.g. "Discord token". */
  name: string;
  status: CheckStatus;
  /** One sentence: what was found. Never holds a secret. */
  detail: string;
  /** What to do about it (set for 'fail' and 'warn'). */
  fix?: string;
}

export interface DoctorReport {
  checks: CheckResult[];
  /** True when no check failed (warnings allowed). */
  ok: boolean;
  /** Values that must never be printed (token, API key, webhook secret), for the printer's redaction. */
  secrets: string[];
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'warn', detail, fix });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });
export const skip = (name: string, detail: string): CheckResult => ({ name, status: 'skip', detail });
