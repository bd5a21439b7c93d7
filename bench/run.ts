// `npm run bench` (issue 14): the real bot, as `npm start` runs it, against the HTTP Discord stand-in
// (global limit and per-channel buckets enforced) and the Midjourney stand-in, in real time: a burst of
// 200 tasks finishing together, 1,000 and 10,000 tasks in flight (each beside a naive poller on the same
// plan), and each Midjourney server's profile at default settings. Prints the report of every target
// of the issue, met or not, and writes bench/RESULTS.md. Then issue 17's cluster: 1, 2 and 4 instances on
// one PostgreSQL at 10,000 tasks in flight, one killed with SIGKILL (cluster-run.ts).
//
//   npm run bench                              # everything (~30 min on 2 cores)
//   npm run bench -- --only burst,dialects     # some: burst, dialects, 1000, 10000, cluster
//   npm run bench -- --only cluster --cluster-tasks 2000 --instances 1,2
//   npm run bench -- --only 1000 --no-naive    # without the naive baseline
//   npm run bench -- --tiny --out /tmp/r.md    # every scenario at a tiny size (~1 min)
//   npm run bench -- --only cluster --keep     # keep each bot's bot.log and database
//   BENCH_TRACE=/tmp/t.json npm run bench -- --only burst   # where each result's time goes (bench/trace.ts)
//   BENCH_BOT_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- --only burst   # node flags for the bot
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BOT_GLOBAL_TARGET,
  DEFAULT_POLL_MS,
  DISCORD_GLOBAL_LIMIT,
  runBotScenario,
  type BotScenarioResult,
} from './bot-run.js';
import { buildPrograms, repoRoot } from './build.js';
import { runNaive, type NaiveResult } from './naive-phase.js';
import { runClusterScenario, type ClusterResult } from './cluster-run.js';
import { renderClusterReport } from './cluster-report.js';
import { renderReport } from './report.js';
import { DIALECTS, burstScenario, dialectScenario, inflightScenario, type Size } from './scenarios.js';

const STAGES = ['burst', 'dialects', '1000', '10000', 'cluster'] as const;
type Stage = (typeof STAGES)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    tiny: { type: 'boolean', default: false },
    'no-naive': { type: 'boolean', default: false },
    out: { type: 'string' },
    'cluster-tasks': { type: 'string' },
    instances: { type: 'string', default: '1,2,4' },
    // Keep the work folder (each bot's bot.log and database) and print where it is.
    keep: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const only = (values.only ?? STAGES.join(',')).split(',').map((s) => s.trim()) as Stage[];
if (only.some((s) => !STAGES.includes(s))) throw new Error(`--only takes ${STAGES.join(', ')}`);
const size: Size = values.tiny ? 'tiny' : 'full';
const withNaive = !values['no-naive'];

/** The node flags of package.json's start script (`node <flags> dist/main.js`). */
function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  return words[0] === 'node' ? words.slice(1, -1).filter((w) => w.startsWith('--')) : [];
}

function commitMeasured(): string {
  try {
    const line = execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    return `\`${line.slice(0, 8).trim()}\` (${line.slice(8, 90).trim()}${line.length > 90 ? '…' : ''})${dirty ? ', with uncommitted changes in src/' : ''}`;
  } catch {
    return 'an unknown commit';
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const started = Date.now();
const loadStart = loadavg()[0] ?? 0;
const workDir = mkdtempSync(join(tmpdir(), 'mjtask-bench-'));
/** The start script's flags, and BENCH_BOT_FLAGS (a profile, say); the report names them all. */
const nodeFlags = [...startNodeFlags(), ...(process.env.BENCH_BOT_FLAGS ?? '').split(' ').filter(Boolean)];
const bots: BotScenarioResult[] = [];
const naive: NaiveResult[] = [];
const clusters: ClusterResult[] = [];
/** The lease time of the cluster runs: the default, or 3 s at the tiny size (its tasks last seconds). */
const clusterLeaseTtlMs = size === 'tiny' ? 3_000 : 30_000;
const stages: Array<{ what: string; wallSeconds: number; standInCpuSeconds: number }> = [];

async function stage(what: string, run: () => Promise<void>): Promise<void> {
  log(`${what}`);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  await run();
  const cpu = process.cpuUsage(cpu0);
  stages.push({ what, wallSeconds: (Date.now() - t0) / 1000, standInCpuSeconds: (cpu.user + cpu.system) / 1e6 });
  log(`  done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  log('compiling the bot (src/main.ts) and the naive side');
  const built = buildPrograms(join(workDir, 'build'));
  const botOptions = { bot: { path: built.bot, execArgv: nodeFlags }, workDir, log };
  const naiveOptions = {
    fastPollMs: DEFAULT_POLL_MS,
    discordLatencyMs: 100,
    side: { path: built.side, execArgv: nodeFlags },
    log,
  };
  if (only.includes('burst'))
    await stage('burst', async () => void bots.push(await runBotScenario(burstScenario(size), botOptions)));
  if (only.includes('dialects'))
    await stage('dialects (one bot per server, at the same time)', async () => {
      bots.push(...(await Promise.all(DIALECTS.map((d) => runBotScenario(dialectScenario(d, size), botOptions)))));
    });
  const sizes = size === 'tiny' ? { '1000': 30, '10000': 60 } : { '1000': 1_000, '10000': 10_000 };
  if (only.includes('1000')) {
    const spec = inflightScenario(sizes['1000'], size);
    // The naive side at 1,000 fits beside the bot on 2 cores; at 10,000 it needs a core of its own.
    await stage(`N=${spec.tasks} (bot${withNaive ? ' and naive poller at the same time' : ''})`, async () => {
      const [bot, baseline] = await Promise.all([
        runBotScenario(spec, botOptions),
        withNaive ? runNaive(spec, naiveOptions) : Promise.resolve(null),
      ]);
      bots.push(bot);
      if (baseline) naive.push(baseline);
    });
  }
  if (only.includes('10000')) {
    const spec = inflightScenario(sizes['10000'], size);
    if (withNaive)
      await stage(`N=${spec.tasks} naive poller`, async () => void naive.push(await runNaive(spec, naiveOptions)));
    await stage(`N=${spec.tasks} bot`, async () => void bots.push(await runBotScenario(spec, botOptions)));
  }
  if (only.includes('cluster')) {
    const tasks = Number(values['cluster-tasks'] ?? (size === 'tiny' ? 60 : 10_000));
    const base = inflightScenario(tasks, size);
    const spec = { ...base, name: 'cluster', env: { ...base.env, LEASE_TTL_MS: String(clusterLeaseTtlMs) } };
    for (const instances of values.instances.split(',').map(Number))
      await stage(`cluster: ${instances} instance(s), ${tasks} tasks`, async () => {
        clusters.push(await runClusterScenario(spec, instances, botOptions));
      });
  }
} finally {
  if (values.keep) log(`work folder kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
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
    loadStart,
    loadEnd: loadavg()[0] ?? 0,
  },
  commit: commitMeasured(),
  command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
  bots,
  naive,
  botLimit: BOT_GLOBAL_TARGET,
  discordLimit: DISCORD_GLOBAL_LIMIT.limit,
  pollMs: DEFAULT_POLL_MS,
  nodeFlags: nodeFlags.join(' '),
  stages,
  wallSeconds: (Date.now() - started) / 1000,
});
const full = report + renderClusterReport(clusters, { botLimit: BOT_GLOBAL_TARGET, leaseTtlMs: clusterLeaseTtlMs });
process.stdout.write(full);
const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
writeFileSync(out, full);
log(`written to ${out}`);
