// healthReport: what /healthz answers, from plain facts.
import { describe, expect, it } from 'vitest';
import { healthReport, type HealthFacts } from '../../src/webhook/health.js';

const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  instanceId: 'bot-1',
  shards: [
    { id: 0, status: 'ready', ping: 41 },
    { id: 1, status: 'ready', ping: 38 },
  ],
  tracker: { active: 2, finishing: 0, byStatus: { IN_PROGRESS: 2 }, leased: 2 },
  database: { ok: true, backend: 'sqlite' },
  discordShare: 22,
  mjShare: 5,
  ...over,
});

describe('healthReport', () => {
  it('is healthy with every shard ready and the database answering, and says which instance it is', () => {
    expect(healthReport(facts())).toEqual({
      healthy: true,
      fields: {
        instance: 'bot-1',
        shards: [
          { id: 0, status: 'ready', ping: 41 },
          { id: 1, status: 'ready', ping: 38 },
        ],
        tracker: { active: 2, finishing: 0, byStatus: { IN_PROGRESS: 2 }, leased: 2 },
        database: { ok: true, backend: 'sqlite' },
        discordShare: 22,
        mjShare: 5,
      },
    });
  });

  it('is unhealthy while one shard reconnects, and names it', () => {
    const report = healthReport(
      facts({
        shards: [
          { id: 0, status: 'ready', ping: 41 },
          { id: 1, status: 'reconnecting', ping: -1 },
        ],
      }),
    );
    expect(report.healthy).toBe(false);
    expect(report.fields.problems).toEqual(['shard 1 is reconnecting']);
  });

  it('is unhealthy before discord.js has any shard', () => {
    const report = healthReport(facts({ shards: [] }));
    expect(report.healthy).toBe(false);
    expect(report.fields.problems).toEqual(['not connected to Discord yet']);
  });

  it('is unhealthy when the database does not answer, with its reason', () => {
    const report = healthReport(facts({ database: { ok: false, backend: 'sqlite', problem: 'disk I/O error' } }));
    expect(report.healthy).toBe(false);
    expect(report.fields.problems).toEqual(['database: disk I/O error']);
    expect(report.fields.database).toEqual({ ok: false, backend: 'sqlite', problem: 'disk I/O error' });
  });
});
