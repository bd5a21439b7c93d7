// The benchmark's markdown: issue 14's targets, each met or not met with what was measured, then one
// line per scenario and how the numbers were taken. Pure: run.ts prints it and writes bench/RESULTS.md.
import type { BotScenarioResult } from './bot-run.js';
import type { NaiveResult } from './naive-phase.js';
import type { LatencySummary } from './scenario.js';

export interface Machine {
  node: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  date: string;
  /** 1-minute load average when the run began and ended (the machine may be shared). */
  loadStart: number;
  loadEnd: number;
}

export interface ReportInput {
  machine: Machine;
  /** The commit measured, e.g. "3f34925 tracker-restart test uses …". */
  commit: string;
  command: string;
  bots: BotScenarioResult[];
  naive: NaiveResult[];
  /** The limit the bot must keep under (45/s) and Discord's (50/s). */
  botLimit: number;
  discordLimit: number;
  pollMs: number;
  nodeFlags: string;
  stages: Array<{ what: string; wallSeconds: number; standInCpuSeconds: number }>;
  wallSeconds: number;
}

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | null;
}

const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
const pair = (s: LatencySummary | undefined): string =>
  !s || s.count === 0 ? '–' : `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`;
const n0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const n1 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const pct = (share: number) => `${Math.round(share * 100)} %`;

export function pollsPerTaskMinute(r: { taskMinutes: number }, polls: number): number {
  return r.taskMinutes > 0 ? polls / r.taskMinutes : 0;
}

/** naive ÷ bot, both as poll requests per task-minute over the same plan; null when either is missing. */
export function naiveRatio(bot: BotScenarioResult, naive: NaiveResult | undefined): number | null {
  if (!naive?.stats || naive.failure || bot.mj.polls === 0) return null;
  const b = pollsPerTaskMinute(bot, bot.mj.polls);
  const x = pollsPerTaskMinute(naive, naive.mjPolls);
  return b > 0 ? x / b : null;
}

/** Unshown results at the stop make the lag percentiles lower bounds. */
const atLeast = (r: BotScenarioResult) => ((r.observation?.resultLagCensored ?? 0) > 0 ? '≥ ' : '');

export function targets(input: ReportInput): TargetRow[] {
  const rows: TargetRow[] = [];
  const burst = input.bots.find((b) => b.spec.kind === 'burst');
  const missing = (target: string, why = 'not run') => rows.push({ target, measured: why, met: null });
  const ok = (r: BotScenarioResult | undefined): r is BotScenarioResult & { observation: object } =>
    !!r && !!r.observation && r.failure === null;

  if (ok(burst)) {
    const o = burst.observation;
    const pending =
      o.resultLagCensored > 0
        ? ` (${o.resultLagCensored} of ${o.tasksStarted} results not shown when the run stopped)`
        : '';
    rows.push({
      target: 'Burst (200 tasks finishing within 2 s, 20 channels): result lag after SUCCESS p50 ≤ 2 s',
      measured: `${atLeast(burst)}${fmtMs(o.resultLag.p50)}${pending}`,
      met: o.resultLag.p50 !== null && o.resultLag.p50 <= 2_000,
    });
    rows.push({
      target: 'Burst: result lag p95 ≤ 6 s',
      measured: `${atLeast(burst)}${fmtMs(o.resultLag.p95)} (max ${fmtMs(o.resultLag.max)})`,
      met: o.resultLag.p95 !== null && o.resultLag.p95 <= 6_000 && o.resultLagCensored === 0,
    });
    const r429 = o.rateLimited.global + o.rateLimited.route;
    rows.push({
      target: 'Burst: 0 × 429',
      measured: `${r429} (${o.rateLimited.route} per-route, ${o.rateLimited.global} global)`,
      met: r429 === 0,
    });
  } else missing('Burst targets', burst?.failure ?? 'not run');

  const inflight = input.bots.filter((b) => b.spec.kind === 'inflight');
  if (inflight.length === 0) missing('1,000 and 10,000 tasks in flight');
  for (const r of inflight) {
    const label = `N=${n0(r.spec.tasks)}`;
    if (!ok(r)) {
      missing(`${label} targets`, r.failure ?? 'no result');
      continue;
    }
    const o = r.observation;
    rows.push({
      target: `${label}: requests counting against the global limit ≤ ${input.botLimit} in every second`,
      measured: `max ${o.countedPeakPerSecond} in a calendar second, ${o.countedPeakSliding} in any 1 s window (${n1(o.countedTotal / Math.max(1, o.countedSeconds))}/s on average)`,
      met: o.countedPeakPerSecond <= input.botLimit,
    });
    const r429 = o.rateLimited.global + o.rateLimited.route;
    rows.push({
      target: `${label}: 0 × 429`,
      measured: `${n0(r429)} (${n0(o.rateLimited.route)} per-route, ${n0(o.rateLimited.global)} global)`,
      met: r429 === 0,
    });
    const t = o.resultsThroughput;
    const floor = 0.9 * input.botLimit;
    rows.push({
      target: `${label}: results throughput while results wait ≥ 90 % of the global limit (≥ ${floor} results/s of the ${input.botLimit}/s the bot keeps)`,
      measured: t
        ? `${n1(t.perSecond)} results/s over ${t.seconds} s with results waiting (${Math.round((100 * t.perSecond) / input.botLimit)} % of ${input.botLimit}/s, ${Math.round((100 * t.perSecond) / input.discordLimit)} % of Discord's ${input.discordLimit}/s)`
        : 'results never waited a whole second',
      met: t === null ? true : t.perSecond >= floor,
    });
    const bound = 3_000 + input.pollMs;
    rows.push({
      target: `${label}: change→edit p95 ≤ 3 s + one poll interval (${fmtMs(bound)}) while under the limit`,
      measured: `${fmtMs(o.changeToShownUnderLimit.p95)} over ${n0(o.changeToShownUnderLimit.count)} changes in seconds under ${input.botLimit} counted requests (all ${n0(o.changeToShown.count)} changes: ${fmtMs(o.changeToShown.p95)}${o.changesCensored > 0 ? `; ${n0(o.changesCensored)} never shown before the stop` : ''})`,
      met: o.changeToShownUnderLimit.count === 0 ? null : (o.changeToShownUnderLimit.p95 as number) <= bound,
    });
    const naive = input.naive.find((x) => x.spec.tasks === r.spec.tasks);
    const ratio = naiveRatio(r, naive);
    rows.push({
      target: `${label}: Midjourney requests ≥ 50× fewer than the naive poller`,
      measured:
        ratio === null
          ? (naive?.failure ?? 'naive poller not run')
          : `${n1(ratio)}× (polls per task-minute: bot ${pollsPerTaskMinute(r, r.mj.polls).toFixed(3)}, naive ${pollsPerTaskMinute(naive!, naive!.mjPolls).toFixed(2)}; with its ${n0(r.mj.submits)} submits the bot sent ${n0(r.mj.polls + r.mj.submits)} API requests in all)`,
      met: ratio === null ? null : ratio >= 50,
    });
    if (r.spec.tasks >= 10_000)
      rows.push({
        target: `${label}: RSS < 150 MB`,
        measured: `${n0(r.rss.peakMb)} MB peak while following (${n0(r.rss.idleMb)} MB when ready with nothing followed; kernel high-water mark ${n0(r.rss.highWaterMb)} MB)`,
        met: r.rss.peakMb < 150,
      });
  }
  if (!inflight.some((r) => r.spec.tasks >= 10_000)) missing('N=10,000: RSS < 150 MB');

  const dialects = input.bots.filter((b) => b.spec.kind === 'dialect');
  if (dialects.length === 0) missing('Default settings, every dialect');
  for (const r of dialects) {
    if (!ok(r)) {
      missing(`${r.spec.name}, default settings: first progress state shown within 3 s`, r.failure ?? 'no result');
      continue;
    }
    const f = r.observation.firstProgress;
    rows.push({
      target: `${r.spec.name}, default settings: a task's first progress state shown within 3 s of the change`,
      measured:
        f.count === 0
          ? 'no progress state was served'
          : `max ${fmtMs(f.max)} over ${f.count} tasks (p50 ${fmtMs(f.p50)}, p95 ${fmtMs(f.p95)})`,
      met: f.count === 0 ? null : (f.max as number) <= 3_000,
    });
  }

  const unfinished = input.bots.filter(
    (r) => r.observation && (r.observation.resultsShown < r.observation.tasksPlanned || r.failure),
  );
  rows.push({
    target: 'Sanity: every planned task was started and its result shown',
    measured:
      unfinished.length === 0
        ? 'all'
        : unfinished
            .map(
              (r) =>
                `${r.spec.name}: ${n0(r.observation!.tasksStarted)}/${n0(r.spec.tasks)} started, ${n0(r.observation!.resultsShown)} results shown`,
            )
            .join('; '),
    met: unfinished.length === 0 && input.bots.every((r) => r.failure === null),
  });
  return rows;
}

const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**not met**');

function scenarioRows(input: ReportInput): string[] {
  const lines = [
    '| scenario | started / results shown | result lag p50 / p95 | change→shown p50 / p95 | first progress p50 / max | counted req/s: peak second / any 1 s / average | 429 route / global | results/s while waiting | MJ polls per task-min | naive ÷ bot | RSS ready → peak | bot CPU s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of input.bots) {
    const o = r.observation;
    if (!o) {
      lines.push(`| ${r.spec.name} | failed: ${r.failure ?? 'no result'} | | | | | | | | | | |`);
      continue;
    }
    const naive = input.naive.find((x) => x.spec.tasks === r.spec.tasks && r.spec.kind === 'inflight');
    const ratio = naiveRatio(r, naive);
    const t = o.resultsThroughput;
    lines.push(
      `| ${r.spec.name} | ${n0(o.tasksStarted)} / ${n0(o.resultsShown)} | ${atLeast(r)}${pair(o.resultLag)} | ${pair(o.changeToShown)} | ${o.firstProgress.count ? `${fmtMs(o.firstProgress.p50)} / ${fmtMs(o.firstProgress.max)}` : '–'} | ${o.countedPeakPerSecond} / ${o.countedPeakSliding} / ${n1(o.countedTotal / Math.max(1, o.countedSeconds))} | ${n0(o.rateLimited.route)} / ${n0(o.rateLimited.global)} | ${t ? `${n1(t.perSecond)} (${t.seconds} s)` : '–'} | ${pollsPerTaskMinute(r, r.mj.polls).toFixed(3)} | ${ratio === null ? '–' : `${n1(ratio)}×`} | ${n0(r.rss.idleMb)} → ${n0(r.rss.peakMb)} MB | ${n1(r.cpuSeconds)} |`,
    );
  }
  lines.push('');
  for (const r of input.bots) {
    const o = r.observation;
    if (!o) continue;
    const mix = Object.entries(o.requestsByKind)
      .filter(([, k]) => k > 0)
      .map(([k, v]) => `${k} ${n0(v)}`)
      .join(', ');
    const problems = Object.entries(r.problems)
      .map(([k, v]) => `${k} ×${v}`)
      .join('; ');
    lines.push(
      `- ${r.spec.name} (${n0(r.spec.tasks)} tasks, ${n0(r.spec.channels)} channels, ${r.spec.dialect ?? 'generic'} stand-in; peak ${n0(o.peakInFlight)} in flight): Discord ${n0(o.requests)} requests (${mix}); submit → first message p50 / p95 ${pair(o.submitToFirstMessage)}; change→shown p99 ${fmtMs(o.changeToShown.p99)}; Midjourney ${n0(r.mj.all)} requests (${n0(r.mj.polls)} polls, ${n0(r.mj.submits)} submits, ${n0(r.mj.images)} image downloads); kernel RSS high-water mark ${n0(r.rss.highWaterMb)} MB; bot CPU in its busiest 5 s ${pct(r.busiestCpuShare)} of a core, the bench's own event loop busy ${pct(r.harnessLoopBusy)} of the run; ${n0(r.wallSeconds)} s wall` +
        (problems ? `; logged: ${problems}` : '; nothing logged at warn or above'),
    );
  }
  for (const x of input.naive) {
    const s = x.stats;
    lines.push(
      s
        ? `- naive poller, N=${n0(x.spec.tasks)}: ${n0(s.tasksFinished)}/${n0(s.tasksFollowed)} results shown; ${n0(x.mjPolls)} fetches (${pollsPerTaskMinute(x, x.mjPolls).toFixed(2)} per task-minute), ${n0(s.edits)} edits, ${n0(s.rateLimited)} × 429 in its simulated channel buckets; change→edit p50 / p95 ${pair(s.changeToEdit)}; RSS ${n0(s.rssPeakMb)} MB; ${n0(s.wallSeconds)} s`
        : `- naive poller, N=${n0(x.spec.tasks)}: FAILED ${x.failure ?? ''}`,
    );
  }
  return lines;
}

export function renderReport(input: ReportInput): string {
  const m = input.machine;
  const rows = targets(input);
  const notMet = rows.filter((r) => r.met === false);
  return [
    "# Benchmark (issue 14: live updates at Discord's limits)",
    '',
    `Run: \`${input.command}\` on ${m.date} at ${input.commit} — Node ${m.node}, ${m.cores} cores (${m.cpu}), ${m.memoryGb.toFixed(0)} GB RAM, ${m.os}; load average ${m.loadStart.toFixed(1)} at the start, ${m.loadEnd.toFixed(1)} at the end (the machine is shared); ${n0(input.wallSeconds)} s in all.`,
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.measured} | ${mark(r.met)} |`),
    '',
    notMet.length === 0
      ? 'Every measured target was met.'
      : `Not met: ${notMet.length} of ${rows.length} rows (see the scenarios below for why).`,
    '',
    '## Scenarios',
    '',
    ...scenarioRows(input),
    '',
    '## How it was measured',
    '',
    `- **The real bot**, as \`npm start\` runs it: src/main.ts compiled to JavaScript and run by \`node ${input.nodeFlags}\`, configured only by its environment (the stand-ins' addresses, a database in a temp folder, \`MEDIA_ALLOWED_HOSTS=127.0.0.1\` so results attach their image; everything else at its default unless a scenario says so below). It runs in its own process, so its RSS (read from /proc every 200 ms) and CPU are its own.`,
    `- **Discord** is the HTTP stand-in (test/support/discord) in the bench process: discord.js logs in over its gateway, members run \`/imagine\` through it, and it enforces Discord's per-channel bucket (5 / 5 s for create, edit and delete together) and its global limit of ${input.discordLimit} requests/s, as a sliding 1 s window over every request that counts (all but interaction callbacks and the interaction webhook \`/webhooks/{app}/{token}\`), with global 429s. Every request is recorded with its arrival time and whether it counts; the per-second figures are computed from that record (calendar seconds for the target, and the busiest 1 s window anywhere).`,
    `- **What a member sees**: every successful message create or edit, on any route, is read with the renderer's own readers (\`readTaskIdFromMessage\`, \`promptFromMessage\`, \`shownStateOf\`), and the first moment each state of each task reached Discord is kept. "Change→shown" runs from the moment the Midjourney API served a state (the stand-in's timeline; for new-api, its next 15 s refresh) to the first message showing that state or a later one, so a state coalesced away counts against the one that replaced it. "While under the limit" keeps the changes served in a second in which the bot sent fewer than ${input.botLimit} counted requests. Result lag runs from SUCCESS to the first message showing the task finished; a result not shown when the run stopped counts as (stop − SUCCESS), so such percentiles are lower bounds (marked ≥). "Results/s while waiting" counts results shown in the seconds in which some result had been due (SUCCESS plus one ${input.pollMs / 1000} s poll) since before the second began and was still not shown when it ended.`,
    `- **Midjourney** is the HTTP stand-in (test/support/mj), generic or imitating a real server (newapi, fork, plus, nzk, MJ_API_DIALECT left at auto so the bot detects it), on real time; each task gets its planned timeline when the bot submits it (queued, then 0→15→31→46→62→78→93 % and SUCCESS). "MJ polls" are the requests the bot made to follow tasks (fetch, list-by-condition, list), per task-minute in flight; submits and image downloads are counted apart. The **naive poller** (bench/naive-poller.ts: every task fetched every ${input.pollMs / 1000} s, its message edited after every fetch, its Discord simulated in its own process) follows the same planned tasks on its own stand-in: the ratio is naive ÷ bot polls per task-minute.`,
    '- **Scenarios**: burst — 200 `/imagine` over 30 s by 20 members in 20 channels, every task reaching SUCCESS within the same 2 s 60 s after the start, default settings except the per-member rate limit and running cap (off: `CLICKS_PER_MINUTE=0`, `MAX_RUNNING_TASKS_PER_MEMBER=0`). N=1,000 — `/imagine` over 20 s by 100 members in 1,000 channels, queued 0–30 s then running 30–90 s; N=10,000 — over 100 s, queued 30–60 s then running 70–110 s, so every task is in flight once the last has started; both with guards off and `MJ_MAX_REQUESTS_PER_SECOND=1000` (100 submits a second need more than the default 10/s). Dialects — default settings: 20 `/imagine` over 10 s by 10 members in 2 channels, queued 3–10 s, running 14–21 s. Each run stops when every result is shown, or 60–90 s after the last planned SUCCESS.',
    `- Stages ran one after another: ${input.stages.map((s) => `${s.what} (${n0(s.wallSeconds)} s; the stand-ins and the bench used ${n0(s.standInCpuSeconds)} CPU s)`).join('; ')}.`,
    '',
    '## Rerun',
    '',
    '```sh',
    'npm run bench                                  # everything (~30 min on 2 cores)',
    'npm run bench -- --only burst,dialects         # some scenarios: burst, dialects, 1000, 10000, cluster',
    'npm run bench -- --only cluster --cluster-tasks 2000 --instances 1,2   # the cluster, smaller',
    'npm run bench -- --only 1000 --no-naive        # without the naive baseline',
    'npm run bench -- --tiny --out /tmp/r.md        # every scenario at a tiny size (a smoke run, ~1 min)',
    '```',
    '',
    'It prints this report and writes bench/RESULTS.md (or --out).',
    '',
  ].join('\n');
}
