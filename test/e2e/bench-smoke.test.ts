// `npm run bench` at a tiny size: the real bot (src/main.ts under tsx) runs a 3-task burst against the
// stand-ins beside the naive poller, and the report names every target. Nothing here asserts a time:
// the numbers are the bench's to report, this only shows its code still runs against today's bot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBotScenario } from '../../bench/bot-run.js';
import { sourcePrograms } from '../../bench/build.js';
import { runNaive } from '../../bench/naive-phase.js';
import { renderReport, targets, type ReportInput } from '../../bench/report.js';
import { burstScenario } from '../../bench/scenarios.js';

const workDir = mkdtempSync(join(tmpdir(), 'mjtask-bench-smoke-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the bench at a tiny size', () => {
  it('runs the real bot and the naive poller over the same plan and reports every target', async () => {
    const programs = sourcePrograms();
    const spec = {
      ...burstScenario('tiny'),
      tasks: 3,
      channels: 2,
      members: 2,
      rampMs: 300,
      runMs: [1_000, 1_500] as const,
      finish: { atMs: 3_000, windowMs: 500 },
    };
    const log = () => undefined;
    const [bot, naive] = await Promise.all([
      runBotScenario(spec, { bot: { path: programs.bot, execArgv: programs.execArgv }, workDir, log }),
      runNaive(
        { ...spec, queuedMs: [0, 500], finish: null },
        { fastPollMs: 500, discordLatencyMs: 10, side: { path: programs.side, execArgv: programs.execArgv }, log },
      ),
    ]);
    expect(bot.failure).toBeNull();
    expect(bot.observation).toMatchObject({ tasksStarted: 3, resultsShown: 3, resultLagCensored: 0 });
    // Each /imagine was acknowledged on the interaction's own (uncounted) route; the bot's messages were read.
    expect(bot.observation?.requestsByKind['interaction callback']).toBe(3);
    expect(bot.observation?.changeToShown.count).toBeGreaterThan(0);
    expect(bot.mj.submits).toBe(3);
    expect(naive.failure).toBeNull();
    // The naive poller follows all three (whether its last edit beats its channel bucket is its problem).
    expect(naive.stats?.tasksFollowed).toBe(3);
    expect(naive.mjPolls).toBeGreaterThanOrEqual(3);

    const input: ReportInput = {
      machine: { node: '20', cores: 2, cpu: 'x', memoryGb: 1, os: 'Linux', date: 'today', loadStart: 0, loadEnd: 0 },
      commit: 'abc',
      command: 'npm run bench',
      bots: [bot],
      naive: [],
      botLimit: 45,
      discordLimit: 50,
      pollMs: 3_000,
      nodeFlags: '--optimize-for-size',
      stages: [],
      wallSeconds: 1,
    };
    const rows = targets(input);
    expect(rows.map((r) => r.target)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Burst .* p50 ≤ 2 s$/),
        'Burst: result lag p95 ≤ 6 s',
        'Burst: 0 × 429',
        'Sanity: every planned task was started and its result shown',
      ]),
    );
    expect(rows.find((r) => r.target.startsWith('Sanity'))?.met).toBe(true);
    expect(renderReport(input)).toContain('| Burst: 0 × 429 |');
  }, 60_000);
});
