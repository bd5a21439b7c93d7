// Pure: the usage counters of a window (store/usage.ts) folded into what /mjusage shows — totals,
// by action, by day, by member, refusals by rule — for a server or one member.

/** started: the server accepted it (counted against quotas); refused: a rule of the bot said no; rejected: the API said no. */
export type UsageOutcome = 'started' | 'refused' | 'rejected';

/** One daily counter. */
export interface UsageCount {
  day: string;
  userId: string;
  action: string;
  outcome: UsageOutcome;
  rule: string;
  count: number;
}

/** Counts by name, largest first (ties by name). */
export type Tally = ReadonlyArray<readonly [string, number]>;

export interface UsageTotals {
  started: number;
  refused: number;
  rejected: number;
  /** Started tasks by action. */
  byAction: Tally;
  /** Refusals of the bot's rules by rule. */
  refusedBy: Tally;
  /** Refusals of the API by its reason. */
  rejectedBy: Tally;
}

export interface MemberUsage extends UsageTotals {
  userId: string;
}

export interface UsageSummary extends UsageTotals {
  /** Started tasks per day, oldest first (days with any activity). */
  byDay: Tally;
  /** Members, most started first (then most refused). */
  members: readonly MemberUsage[];
}

function tally(map: Map<string, number>): Tally {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

class Totals {
  started = 0;
  refused = 0;
  rejected = 0;
  readonly byAction = new Map<string, number>();
  readonly refusedBy = new Map<string, number>();
  readonly rejectedBy = new Map<string, number>();

  add(c: UsageCount): void {
    const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + c.count);
    if (c.outcome === 'started') {
      this.started += c.count;
      bump(this.byAction, c.action);
    } else if (c.outcome === 'refused') {
      this.refused += c.count;
      bump(this.refusedBy, c.rule || 'unknown');
    } else {
      this.rejected += c.count;
      bump(this.rejectedBy, c.rule || 'unknown');
    }
  }

  done(): UsageTotals {
    return {
      started: this.started,
      refused: this.refused,
      rejected: this.rejected,
      byAction: tally(this.byAction),
      refusedBy: tally(this.refusedBy),
      rejectedBy: tally(this.rejectedBy),
    };
  }
}

export function summarizeUsage(counts: readonly UsageCount[]): UsageSummary {
  const all = new Totals();
  const perMember = new Map<string, Totals>();
  const perDay = new Map<string, number>();
  for (const c of counts) {
    all.add(c);
    let member = perMember.get(c.userId);
    if (!member) perMember.set(c.userId, (member = new Totals()));
    member.add(c);
    if (c.outcome === 'started') perDay.set(c.day, (perDay.get(c.day) ?? 0) + c.count);
  }
  const members = [...perMember.entries()]
    .map(([userId, t]) => ({ userId, ...t.done() }))
    .sort((a, b) => b.started - a.started || b.refused - a.refused || a.userId.localeCompare(b.userId));
  const byDay = [...perDay.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  return { ...all.done(), byDay, members };
}
