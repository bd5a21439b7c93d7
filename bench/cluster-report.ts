// The cluster section of bench/RESULTS.md (issue 17's measured targets), met or not: Midjourney polls
// per task against one instance, the cluster's counted Discord requests, results shown once, takeover
// time after SIGKILL against the lease time, peak RSS per instance.
import type { ClusterResult } from './cluster-run.js';

const n0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const secs = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
/** Why started tasks were not shown, when some were not. */
const lost = (r: ClusterResult) =>
  r.unshown && r.unshown.tracked + r.unshown.untracked > 0
    ? `; not shown: ${n0(r.unshown.tracked)} the database followed, ${n0(r.unshown.untracked)} the API took but no instance followed (${problemsOf(r)})`
    : '';
/** The instances' most frequent warn/error lines, which say why a task was not followed. */
const problemsOf = (r: ClusterResult) =>
  counted(r.problems, { mark: ' ×', sep: '; ', top: 3 }) || 'nothing logged at warn or above';
/** "name n, name n" of the nonzero counts, most first (the first `top`). */
function counted(counts: Record<string, number>, o: { mark?: string; sep?: string; top?: number } = {}): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, o.top ?? Infinity)
    .map(([name, n]) => `${name}${o.mark ?? ' '}${n0(n)}`)
    .join(o.sep ?? ', ');
}
/** The cluster's Discord requests by kind, and results shown per second while some were waiting. */
const discordMix = (r: ClusterResult) => {
  const o = r.observation;
  if (!o) return 'not observed';
  const kinds = counted(o.requestsByKind);
  const t = o.resultsThroughput;
  return `${n0(o.requests)} requests (${kinds}); results ${t ? `${t.perSecond.toFixed(1)}/s over ${t.seconds} s with results waiting` : 'never waited'}`;
};
/** The asks of one id within 0.2 s of each other, by how the two came (fetch or in a list-by-condition). */
const againBy = (r: ClusterResult) => counted(r.mj.askedAgainSoonBy) || 'none';
const fixed = (value: number | null) => (value === null ? '–' : value.toFixed(2));
/** Within 5 % of one instance's figure (runs differ that much from one to the next). */
const ratioMet = (value: number | null, base: number | null) =>
  value === null || base === null ? null : value <= base * 1.05;
/**
 * A poller's own asks of one task are ≥ 250 ms apart, but the stand-in records an ask when its event
 * loop reads it, so under load one poller's asks are read closer than sent: a lone instance, which
 * cannot poll a task from two owners, showed up to 5.85 per 1,000. Each instance comes through its own
 * door to the stand-in (MjStandIn.baseUrlFor), so the asks that follow another instance's are told
 * apart: those are a task polled twice. At most 1 per 1,000 (a takeover may poll what the dead
 * instance asked just before the kill).
 */
const againMet = (perMille: number | null) => (perMille === null ? null : perMille <= 1);
const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**not met**');

/**
 * Polls per followed task: the Midjourney cost of following one task to its end. A task the API took
 * but the bot never followed (its submit answered too late, or its instance killed first) costs no poll.
 */
const followedTasks = (r: ClusterResult) => (r.observation?.tasksStarted ?? 0) - (r.unshown?.untracked ?? 0);
export const pollsPerTask = (r: ClusterResult) => {
  const followed = followedTasks(r);
  return followed > 0 ? r.mj.polls / followed : null;
};

/**
 * Task ids asked about per followed task: the same count whether the ids travel 100 to a request or
 * one by one, so it shows a task polled twice (two owners, or a takeover that polls again what the
 * dead instance just asked) where polls per task also move with how full the batches are.
 */
export const idsAskedPerTask = (r: ClusterResult) => {
  const followed = followedTasks(r);
  return followed > 0 ? r.mj.idsAsked / followed : null;
};

/**
 * Ids asked per minute a task was followed (from its first ask to its last, as the API saw it): the
 * poll cadence itself, whatever share of each task's life the run covered. Polls per task above
 * depend on that share: a run that stops while its last tasks still run, or a kill that leaves the
 * late clicks unstarted, moves them without any task being polled more often.
 */
export const idsAskedPerTaskMinute = (r: ClusterResult) =>
  r.mj.followedMinutes > 0 ? r.mj.idsAsked / r.mj.followedMinutes : null;

/**
 * Per 1,000 ids asked, how many were asked again within ASKED_AGAIN_SOON_MS (0.2 s) of their previous
 * ask: asked twice at once (two owners, or a takeover polling what the dead instance had just asked).
 */
export const askedAgainSoonPerMille = (r: ClusterResult) =>
  r.mj.idsAsked > 0 ? (r.mj.askedAgainSoon / r.mj.idsAsked) * 1_000 : null;
/** Of those, per 1,000 ids asked: the asks whose previous one came from another instance (two pollers). */
export const askedAgainAcrossPerMille = (r: ClusterResult) =>
  r.mj.idsAsked > 0 ? (r.mj.askedAgainSoonAcross / r.mj.idsAsked) * 1_000 : null;

const perTaskTarget = (name: string, what: string, value: number | null, base: number | null) =>
  `| ${name}: ${what} per followed task no higher than one instance | ${fixed(value)} (one instance: ${base === null ? 'not run' : base.toFixed(2)}) | ${mark(ratioMet(value, base))} |`;

export function renderClusterReport(
  results: readonly ClusterResult[],
  o: { botLimit: number; leaseTtlMs: number },
): string {
  if (results.length === 0) return '';
  const single = results.find((r) => r.instances === 1);
  const base = single ? pollsPerTask(single) : null;
  const idsBase = single ? idsAskedPerTask(single) : null;
  const cadenceBase = single ? idsAskedPerTaskMinute(single) : null;
  const againBase = single ? askedAgainSoonPerMille(single) : null;
  // Takeover within the lease time (issue 17): a survivor's heartbeat comes when the dead instance's
  // first lease runs out, at most LEASE_TTL_MS after the kill (its last renewal was before it).
  const bound = o.leaseTtlMs;
  const rows: string[] = [];
  const targets: string[] = [];
  for (const r of results) {
    const obs = r.observation;
    const ppt = pollsPerTask(r);
    if (!obs) {
      rows.push(`| ${r.instances} | failed: ${r.failure ?? 'no observation'} | | | | | | | | |`);
      continue;
    }
    const t = r.takeover;
    rows.push(
      `| ${r.instances} | ${n0(obs.tasksStarted)} / ${n0(obs.resultsShown)} | ${n0(obs.duplicateResults)} | ${ppt === null ? '–' : ppt.toFixed(2)} / ${idsAskedPerTask(r)?.toFixed(2) ?? '–'} | ${fixed(idsAskedPerTaskMinute(r))} / ${fixed(askedAgainSoonPerMille(r))} (${fixed(askedAgainAcrossPerMille(r))}) | ${obs.countedPeakPerSecond} / ${obs.countedPeakSliding} | ${n0(obs.rateLimited.route)} / ${n0(obs.rateLimited.global)} | ${t ? `${secs(t.p50Ms)} / ${secs(t.maxMs)} (${n0(t.takenOver)} of ${n0(t.killedHeld)} tasks)` : '–'} | ${r.rssPeakMb.map((mb) => n0(mb)).join(', ')} MB | ${n0(r.wallSeconds)} s |`,
    );
    const name = `${r.instances} instance${r.instances > 1 ? 's' : ''}`;
    if (r.instances > 1)
      targets.push(
        perTaskTarget(name, 'Midjourney requests (polls)', ppt, base),
        perTaskTarget(name, 'task ids polled', idsAskedPerTask(r), idsBase),
        `| ${name}: ids asked per task-minute followed no higher than one instance | ${fixed(idsAskedPerTaskMinute(r))} (one instance: ${fixed(cadenceBase)}) | ${mark(ratioMet(idsAskedPerTaskMinute(r), cadenceBase))} |`,
        `| ${name}: no task polled twice: ids asked within 0.2 s of another instance's ask ≤ 1 per 1,000 asks | ${fixed(askedAgainAcrossPerMille(r))} (within 0.2 s of any ask, its own included: ${fixed(askedAgainSoonPerMille(r))}; one instance: ${fixed(againBase)}) | ${mark(againMet(askedAgainAcrossPerMille(r)))} |`,
      );
    targets.push(
      `| ${name}: counted Discord requests of the whole cluster ≤ ${o.botLimit} in every second | ${obs.countedPeakPerSecond} in a calendar second, ${obs.countedPeakSliding} in any 1 s window | ${mark(obs.countedPeakSliding <= o.botLimit)} |`,
      `| ${name}: every result posted exactly once | ${n0(obs.resultsShown)} of ${n0(obs.tasksStarted)} shown, ${n0(obs.duplicateResults)} duplicates${lost(r)} | ${mark(obs.resultsShown === obs.tasksStarted && obs.duplicateResults === 0)} |`,
    );
    if (t)
      targets.push(
        `| ${name}: takeover after SIGKILL within the lease time (${secs(bound)}) | p50 ${secs(t.p50Ms)}, max ${secs(t.maxMs)}; ${n0(t.takenOver)} of the ${n0(t.killedHeld)} tasks it held | ${mark(t.maxMs !== null && t.maxMs <= bound && t.takenOver >= t.killedHeld)} |`,
      );
  }
  const spec = results[0]!.spec;
  return [
    '',
    '## Cluster (issue 17): instances on one PostgreSQL',
    '',
    `${n0(spec.tasks)} tasks over ${n0(spec.channels)} channels in one server per instance (one shard each, SHARD_COUNT = instances), /imagine over ${spec.rampMs / 1000} s, queued ${spec.queuedMs[0] / 1000}–${spec.queuedMs[1] / 1000} s, running ${spec.runMs[0] / 1000}–${spec.runMs[1] / 1000} s; embedded PostgreSQL on the same machine; LEASE_TTL_MS ${n0(o.leaseTtlMs)}. With two instances or more the first is killed with SIGKILL halfway through the ramp; the /imagine commands its shard would have carried after that are not answered (nobody runs that shard), so they are not started.`,
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets,
    '',
    '| instances | started / results shown | duplicate results | MJ polls / ids asked per followed task | ids asked per task-minute / asked again within 0.2 s per 1,000 (after another instance’s ask) | counted req/s: peak second / any 1 s | 429 route / global | takeover p50 / max | peak RSS per instance | wall |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...results.map(
      (r) =>
        `- ${r.instances} instance${r.instances > 1 ? 's' : ''}: Discord ${discordMix(r)}; ids asked again within 0.2 s, by how: ${againBy(r)}; logged: ${problemsOf(r)}`,
    ),
    '',
  ].join('\n');
}
