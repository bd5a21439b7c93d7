// The benchmark's markdown: one table per scenario, the issue's targets marked met / not met, the
// machine, and how the numbers were taken. Pure: run.ts prints it and writes bench/RESULTS.md.
import { HOOK_POOL_SIZE, type ScenarioResult, type SideResult } from './phase.js';
import type { LatencySummary, SideKind } from './scenario.js';

export interface Machine {
  node: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  date: string;
}

export interface ReportInput {
  machine: Machine;
  command: string;
  results: ScenarioResult[];
  fastPollMs: number;
  slowPollMs: number;
  discordLatencyMs: number;
  hookScanMs: number;
  /** How the side processes ran: 'node on compiled JS' or 'tsx'. */
  runtime: string;
  /** Per phase: which scenarios ran together, and the CPU of the orchestrator process (all stand-ins). */
  /** Tracker options changed from the bot's defaults for this run ({} normally). */
  trackerOptions: Record<string, number>;
  phases: Array<{ scenarios: string; standInCpuSeconds: number; wallSeconds: number }>;
  wallSeconds: number;
}

const SIDE_LABEL: Record<SideKind, string> = {
  naive: 'naive poller',
  'tracker-poll': 'tracker (polling)',
  'tracker-push': 'tracker (push)',
};
const TRACKERS: readonly SideKind[] = ['tracker-poll', 'tracker-push'];

const fmtMs = (ms: number | null): string =>
  ms === null ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
const pair = (s: LatencySummary | null | undefined): string =>
  !s || s.count === 0 ? '–' : `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`;
const num = (n: number, digits = 2): string => (n >= 100 ? n.toFixed(0) : n.toFixed(digits));

export function requestsPerTaskMinute(r: ScenarioResult, side: SideResult): number {
  return r.taskMinutes > 0 ? side.mjRequests / r.taskMinutes : 0;
}

/** naive requests ÷ this side's requests over the same tasks (null when either is missing or zero). */
export function ratioToNaive(r: ScenarioResult, kind: SideKind): number | null {
  const naive = r.sides.naive;
  const side = r.sides[kind];
  if (!naive || !side || side.mjRequests === 0) return null;
  return naive.mjRequests / side.mjRequests;
}

function scenarioTable(r: ScenarioResult): string[] {
  const lines = [
    `### ${r.spec.name}: ${r.spec.tasks.toLocaleString('en-US')} tasks in ${r.spec.channels.toLocaleString('en-US')} channel(s)`,
    '',
    '| N | side | MJ requests/min per task | naive ÷ side | Discord edits per task | 429s | change→edit p50 / p95 (polling) | change→edit p50 / p95 (push) | push→edit p50 / p95 | peak RSS MB | CPU s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const kind of r.spec.sides) {
    const side = r.sides[kind];
    if (!side) {
      lines.push(`| ${r.spec.tasks} | ${SIDE_LABEL[kind]} | no result | | | | | | | | |`);
      continue;
    }
    const s = side.stats;
    const ratio =
      kind === 'naive'
        ? '1×'
        : (() => {
            const x = ratioToNaive(r, kind);
            return x === null ? '–' : `${num(x, 1)}×`;
          })();
    const push = kind === 'tracker-push';
    lines.push(
      `| ${r.spec.tasks} | ${SIDE_LABEL[kind]} | ${requestsPerTaskMinute(r, side).toFixed(3)} | ${ratio} | ${(s.edits / Math.max(1, s.tasksFollowed)).toFixed(1)} | ${s.rateLimited} | ${push ? '–' : pair(s.changeToEdit)} | ${push ? pair(s.changeToEdit) : '–'} | ${push ? pair(s.pushToEdit) : '–'} | ${s.rssPeakMb.toFixed(0)} | ${s.cpuSeconds.toFixed(1)} |`,
    );
  }
  lines.push('');
  const details: string[] = [];
  for (const kind of r.spec.sides) {
    const side = r.sides[kind];
    if (!side) continue;
    const s = side.stats;
    const routes = Object.entries(side.mjRequestsByRoute)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const problems = Object.entries(s.problems)
      .map(([k, n]) => `${k} ×${n}`)
      .join('; ');
    details.push(
      `- ${SIDE_LABEL[kind]}: ${s.tasksFinished}/${s.tasksFollowed} results shown; MJ requests ${side.mjRequests} (${routes || 'none'}; ${s.mjCalls.callsWhileArriving} while tasks were arriving, ${s.mjCalls.callsAfter} after${s.mjCalls.listCalls > 0 ? `; ${(s.mjCalls.listIds / s.mjCalls.listCalls).toFixed(1)} ids per list call` : ''}), ${s.mjCalls.errors} failed; ` +
        `Discord ${s.sends} sends, ${s.edits} edits, ${s.deletes} deletes (${discordRate(s).toFixed(0)} requests/s on average, peak ${s.peakDiscordPerSecond} in one second); ` +
        `${s.statesShown}/${s.statesTotal} status changes shown (change→edit p99 ${fmtMs(s.changeToEdit.p99)}, max ${fmtMs(s.changeToEdit.max)}); ` +
        `RSS ${s.rssBaselineMb.toFixed(0)} MB idle → ${s.rssPeakMb.toFixed(0)} MB peak, V8 heap peak ${s.heapPeakMb.toFixed(0)} MB used / ${s.heapTotalPeakMb.toFixed(0)} MB reserved${s.liveHeapPeakMb === null ? '' : ` (${s.liveHeapPeakMb.toFixed(0)} MB live after GC)`}, external ${s.externalPeakMb.toFixed(0)} MB; ${s.wallSeconds.toFixed(0)} s wall` +
        (problems ? `; logged: ${problems}` : ''),
    );
  }
  for (const f of r.failures) details.push(`- FAILED: ${f}`);
  return [...lines, ...details, ''];
}

/** Discord requests per second over the side's run, all channels together. */
const discordRate = (s: SideResult['stats']): number => (s.sends + s.edits + s.deletes) / Math.max(1, s.wallSeconds);

/** Discord's global limit (50 requests/s per bot) is not simulated; say where a run would have met it. */
function globalLimitNotes(results: ScenarioResult[]): string[] {
  const over = results.flatMap((r) =>
    TRACKERS.flatMap((k) => {
      const s = r.sides[k]?.stats;
      return s && (discordRate(s) > 50 || s.peakDiscordPerSecond > 50)
        ? [
            `${r.spec.name} ${SIDE_LABEL[k]}: ${discordRate(s).toFixed(0)}/s on average, ${s.peakDiscordPerSecond} in the busiest second`,
          ]
        : [];
    }),
  );
  if (over.length === 0) return [];
  return [
    `- Not simulated: Discord's global limit of 50 requests/s per bot (discord.js queues above it). The tracker's Discord traffic went over it in: ${over.join('; ')}. On real Discord those edits would wait in discord.js's queue, so the latencies above hold only while the whole bot stays under 50 requests/s (≈ 10 requests per task over its ~2 min: a few hundred tasks in flight).`,
  ];
}

interface Target {
  text: string;
  met: boolean | null;
  evidence: string;
}

export function targets(results: ScenarioResult[]): Target[] {
  const main = results.filter((r) => r.spec.channels === r.spec.tasks);
  const out: Target[] = [];
  const ratios = main.flatMap((r) => TRACKERS.filter((k) => r.sides[k]).map((k) => ({ r, k, x: ratioToNaive(r, k) })));
  out.push({
    text: 'tracker makes ≥ 50× fewer Midjourney requests than the naive poller',
    met: ratios.length === 0 || ratios.some((x) => x.x === null) ? null : ratios.every((x) => (x.x as number) >= 50),
    evidence: ratios
      .map(({ r, k, x }) => `${r.spec.name} ${SIDE_LABEL[k]} ${x === null ? '–' : num(x, 1)}×`)
      .join(', '),
  });
  const trackerSides = results.flatMap((r) => TRACKERS.map((k) => ({ r, k, s: r.sides[k] })).filter((x) => x.s));
  const r429 = trackerSides.reduce((n, x) => n + (x.s?.stats.rateLimited ?? 0), 0);
  out.push({
    text: 'zero 429s (tracker, every scenario, budget scenario included)',
    met: trackerSides.length > 0 ? r429 === 0 : null,
    evidence: `${r429} × 429 over ${trackerSides.length} tracker runs`,
  });
  const big = trackerSides.filter((x) => x.r.spec.tasks >= 10_000);
  out.push({
    text: 'RSS under 150 MB at 10,000 tasks',
    met: big.length === 0 ? null : big.every((x) => (x.s?.stats.rssPeakMb ?? Infinity) < 150),
    evidence:
      big.length === 0
        ? 'not run (--quick)'
        : big.map((x) => `${SIDE_LABEL[x.k]} ${x.s?.stats.rssPeakMb.toFixed(0)} MB`).join(', '),
  });
  const pushes = main.map((r) => ({ r, s: r.sides['tracker-push'] })).filter((x) => x.s);
  out.push({
    text: 'p95 push-to-edit under 1 s when the channel budget allows (1 task per channel)',
    met: pushes.length === 0 ? null : pushes.every((x) => (x.s?.stats.pushToEdit?.p95 ?? Infinity) < 1000),
    evidence: pushes
      .map(
        (x) =>
          `${x.r.spec.name} push→edit p95 ${fmtMs(x.s?.stats.pushToEdit?.p95 ?? null)} (status change→edit p95 ${fmtMs(x.s?.stats.changeToEdit.p95 ?? null)})`,
      )
      .join(', '),
  });
  const unfinished = trackerSides
    .filter((x) => x.s && x.s.stats.tasksFinished < x.s.stats.tasksFollowed)
    .map((x) => `${x.r.spec.name} ${SIDE_LABEL[x.k]}`);
  const naiveLost = results.flatMap((r) =>
    r.sides.naive && r.sides.naive.stats.tasksFinished < r.sides.naive.stats.tasksFollowed
      ? [
          `${r.spec.name}: the naive poller never showed ${r.sides.naive.stats.tasksFollowed - r.sides.naive.stats.tasksFinished} results (their last edit met a 429)`,
        ]
      : [],
  );
  out.push({
    text: 'the tracker shows every result (sanity)',
    met: unfinished.length === 0 && results.every((r) => r.failures.length === 0),
    evidence: [
      unfinished.length === 0 ? 'all results shown' : `missing on ${unfinished.join(', ')}`,
      ...naiveLost,
    ].join('; '),
  });
  return out;
}

export function renderReport(input: ReportInput): string {
  const m = input.machine;
  const lines = [
    '# Tracking benchmark (issue 6)',
    '',
    `Run: \`${input.command}\` on ${m.date} — Node ${m.node}, ${m.cores} cores (${m.cpu}), ${m.memoryGb.toFixed(0)} GB RAM, ${m.os}; ${input.wallSeconds.toFixed(0)} s in all.`,
    '',
    '## Targets',
    '',
    '| target | result | measured |',
    '|---|---|---|',
    ...targets(input.results).map(
      (t) => `| ${t.text} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**not met**'} | ${t.evidence} |`,
    ),
    '',
    '## Results',
    '',
    ...input.results.flatMap(scenarioTable),
    '## How it was measured',
    '',
    `- Real time, not compressed: tasks are queued 0–30 s, then run 30–90 s through 0→15→31→46→62→78→93% and SUCCESS (100%), submits spread over the ramp. Compressing time by k would make the naive poller send k× more requests per second to a stand-in sharing the same 2 cores, so its baseline would measure the machine, not the design; real time keeps both sides honest and the numbers need no conversion.`,
    `- Every side runs in its own child process (${input.runtime}${input.runtime === 'tsx' ? '' : ', as `npm start` runs the bot, with its node flags; `--optimize-for-size` makes V8 favour memory over speed; `--tsx` runs them under tsx, which adds ~30 MB of loader to every RSS'}) with its own Midjourney stand-in (test/support/mj, real HTTP on 127.0.0.1): "MJ requests" is what that stand-in received, all routes. Per minute per task = requests ÷ Σ task lifetimes (submit → SUCCESS), the same denominator for every side. The tracker polls with the bot's defaults for a proxy: fast ${input.fastPollMs / 1000} s while running, slow ${input.slowPollMs / 1000} s while queued; the naive poller fetches each task every ${input.fastPollMs / 1000} s (the fast interval) and edits its message after every fetch.`,
    ...(Object.keys(input.trackerOptions).length > 0
      ? [
          `- **Tracker options changed for this run: ${JSON.stringify(input.trackerOptions)}** (the bot does not set these; not its defaults).`,
        ]
      : []),
    `- The tracker side is the bot's real code: createMjClient, createTracker, createPublisher (default budget 4 / 5 s per channel), openStore on a temp file, and for push the real notifyHook receiver (createNotifyReceiver → tracker.push). Push tasks carry a notifyHook, so the stand-in posts each state change (checked every ${input.hookScanMs} ms, up to ${HOOK_POOL_SIZE} posts in flight: a proxy's default pool of 10 cannot post 10,000 tasks' changes as fast as they happen, and the wait in its queue would be counted against the bot) and the tracker's polls fall back to its 60 s safety net.`,
    `- Discord is in-process (bench/discord-sim.ts): ${input.discordLatencyMs} ms round trip, one bucket per channel of 5 requests / 5 s over create + edit + delete together, as a sliding log — stricter than Discord's fixed per-route windows, so 0 × 429 here is 0 on Discord. The HTTP Discord stand-in was not used: at 10,000 tasks it would measure discord.js's REST queue and the stand-in's CPU instead of the tracker.`,
    '- change→edit: from the moment the state changed on the stand-in\'s timeline to the completed Discord request that shows it, for changes after the side started following the task (first time each state is shown). push→edit: from the push\'s arrival at the receiver. "Discord edits" counts PATCHes only; the tracker also sends a progress message and a result message and deletes the progress message per task (see the lines under each table).',
    "- RSS and CPU are the side process's own (peak RSS sampled every 100 ms, CPU = process.cpuUsage() user + system while tasks were followed). The idle RSS (modules loaded, nothing followed) is in the lines under each table. Image downloads of results are off (no ImageDownloader), so results link the image.",
    ...globalLimitNotes(input.results),
    `- Phases run one after another, the scenarios of a phase at the same time; above 2,000 tasks the naive poller gets a phase of its own (with the same seeded tasks), since it and its stand-in alone need more than a core and would slow the tracker sides down: ${input.phases.map((p) => `${p.scenarios} (${p.wallSeconds.toFixed(0)} s; the stand-ins and the orchestrator used ${p.standInCpuSeconds.toFixed(0)} CPU s)`).join('; ')}.`,
    '',
    '## Rerun',
    '',
    '```sh',
    'npm run bench            # N = 1,000 + the budget scenario, then N = 10,000 (~8 min on 2 cores)',
    'npm run bench -- --quick # N = 1,000 and the budget scenario only (~2.5 min)',
    'npm run bench -- --n 300 --no-budget --out /tmp/try.md   # other sizes; --sides, --tracker-options, --side-node-args: see bench/run.ts',
    '```',
    '',
    'It prints this report and writes bench/RESULTS.md.',
    '',
  ];
  return lines.join('\n');
}
