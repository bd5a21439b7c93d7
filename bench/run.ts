// `npm run bench` (issue 6): N = 1,000 and 10,000 tasks in flight against the Midjourney stand-in,
// followed at the same time by the bot's tracker (polling, and push) and by a naive poller; plus a
// budget scenario with many tasks per channel. Prints the report and writes bench/RESULTS.md.
//
//   npm run bench                      # everything (~7 min on 2 cores)
//   npm run bench -- --quick           # N = 1,000 and the budget scenario
//   npm run bench -- --n 300 --no-budget --out /tmp/r.md   # a short try-out
//   npm run bench -- --n 10000 --no-budget --side-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSide } from './build.js';
import { runPhase, type ScenarioResult } from './phase.js';
import { renderReport } from './report.js';
import type { ScenarioSpec, SideKind } from './scenario.js';

/** The node flags of package.json's start script (`node <flags> dist/main.js`). */
function startNodeFlags(packageJsonPath: string): string[] {
  const start =
    (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? '';
  const words = start.trim().split(/\s+/);
  return words[0] === 'node' ? words.slice(1, -1).filter((w) => w.startsWith('--')) : [];
}

const ALL_SIDES: readonly SideKind[] = ['naive', 'tracker-poll', 'tracker-push'];
const FAST_POLL_MS = 3_000; // the bot's POLL_FAST_MS default for a proxy (src/config/load.ts)
const SLOW_POLL_MS = 15_000; // POLL_SLOW_MS default

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    n: { type: 'string' },
    'no-budget': { type: 'boolean', default: false },
    /** Only these sides, e.g. "tracker-poll,tracker-push" (for investigating one side). */
    sides: { type: 'string' },
    'ramp-ms': { type: 'string', default: '20000' },
    'discord-latency-ms': { type: 'string', default: '100' },
    out: { type: 'string' },
    tsx: { type: 'boolean', default: false },
    /** Tracker options to try, as JSON, e.g. '{"batchWindowMs":1000}' (shown in the report). */
    'tracker-options': { type: 'string', default: '{}' },
    /** Extra node flags for the side processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
    'side-node-args': { type: 'string', default: '' },
  },
  allowPositionals: false,
});

const rampMs = Number(values['ramp-ms']);
const sizes = values.n ? values.n.split(',').map(Number) : values.quick ? [1_000] : [1_000, 10_000];
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isFinite(rampMs))
  throw new Error('--n takes whole numbers, e.g. --n 1000,10000');

const trackerOptions = JSON.parse(values['tracker-options'] ?? '{}') as Record<string, number>;
const chosen = values.sides ? (values.sides.split(',') as SideKind[]) : ALL_SIDES;
if (chosen.some((k) => !ALL_SIDES.includes(k))) throw new Error(`--sides takes ${ALL_SIDES.join(', ')}`);
const realistic = { queuedMs: [0, 30_000] as const, runMs: [30_000, 90_000] as const, rampMs };
const main = (n: number): ScenarioSpec => ({
  name: `N=${n}`,
  tasks: n,
  channels: n,
  seed: n,
  sides: chosen,
  ...realistic,
});
/** 20 tasks per channel: progress changes outrun Discord's 5 / 5 s, so the budget decides. */
const budget: ScenarioSpec = { name: 'budget', tasks: 200, channels: 10, seed: 7, sides: chosen, ...realistic };

/**
 * Phases run one after another; the scenarios of a phase run at the same time. Up to 1,000 tasks every
 * side fits on 2 cores at once (the budget scenario joins the first phase). Beyond, the naive poller and
 * its stand-in alone take over a core (10,000 tasks × one fetch per 3 s), so they get a phase of their
 * own with the same seeded tasks, and the tracker sides are not measured under the naive side's load.
 */
const SHARED_PHASE_MAX_TASKS = 2_000;
const phases: ScenarioSpec[][] = sizes.flatMap((n, i) => {
  const extra = i === 0 && !values['no-budget'] ? [budget] : [];
  const spec = main(n);
  if (n <= SHARED_PHASE_MAX_TASKS || !spec.sides.includes('naive') || spec.sides.length === 1)
    return [[spec, ...extra]];
  const trackers = { ...spec, sides: spec.sides.filter((k) => k !== 'naive') };
  return [[{ ...spec, sides: ['naive'] as SideKind[] }, ...extra], [trackers]];
});

/** A scenario split over phases comes back as one result (sides in the usual order). */
function merge(into: ScenarioResult[], more: ScenarioResult[]): void {
  for (const r of more) {
    const same = into.find((x) => x.spec.name === r.spec.name);
    if (!same) {
      into.push(r);
      continue;
    }
    Object.assign(same.sides, r.sides);
    same.failures.push(...r.failures);
    same.spec = {
      ...same.spec,
      sides: ALL_SIDES.filter((k) => same.spec.sides.includes(k) || r.spec.sides.includes(k)),
    };
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const started = Date.now();
const results: ScenarioResult[] = [];
const phaseSummaries: Array<{ scenarios: string; standInCpuSeconds: number; wallSeconds: number }> = [];
const here = dirname(fileURLToPath(import.meta.url));
// One temp folder for the run: the compiled sides and each tracker side's database; removed at the end.
const workDir = mkdtempSync(join(tmpdir(), 'mjtask-bench-'));
// Sides run with the node flags `npm start` gives the bot (package.json), then any --side-node-args.
const extraArgs = [
  ...startNodeFlags(join(here, '..', 'package.json')),
  ...(values['side-node-args'] ?? '').split(' ').filter((a) => a !== ''),
];
const side = values.tsx
  ? { path: join(here, 'side.ts'), execArgv: ['--import', 'tsx', ...extraArgs] }
  : { path: buildSide(join(workDir, 'build')), execArgv: extraArgs };
try {
  for (const phase of phases) {
    log(
      `phase: ${phase.map((s) => `${s.name} [${s.sides.join(', ')}] (${s.tasks} tasks, ${s.channels} channels)`).join(' + ')}`,
    );
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const options = {
      fastPollMs: FAST_POLL_MS,
      slowPollMs: SLOW_POLL_MS,
      discordLatencyMs: Number(values['discord-latency-ms']),
      hookScanMs: 50,
      workDir,
      trackerOptions,
      side,
      log,
    };
    merge(results, await runPhase(phase, options));
    const cpu = process.cpuUsage(cpu0);
    phaseSummaries.push({
      scenarios: phase.map((s) => `${s.name} (${s.sides.join(', ')})`).join(' + '),
      standInCpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (Date.now() - t0) / 1000,
    });
    log(
      `  done in ${((Date.now() - t0) / 1000).toFixed(0)} s; stand-ins used ${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU s`,
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const cpu = cpus();
const report = renderReport({
  machine: {
    node: process.versions.node,
    cores: cpu.length,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  },
  command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
  results,
  fastPollMs: FAST_POLL_MS,
  slowPollMs: SLOW_POLL_MS,
  discordLatencyMs: Number(values['discord-latency-ms']),
  hookScanMs: 50,
  phases: phaseSummaries,
  trackerOptions,
  runtime: values.tsx ? 'tsx' : `node ${extraArgs.join(' ')} on compiled JS`.replace(/\s+/g, ' '),
  wallSeconds: (Date.now() - started) / 1000,
});
process.stdout.write(report);
const out = values.out ?? join(here, 'RESULTS.md');
writeFileSync(out, report);
log(`written to ${out}`);
