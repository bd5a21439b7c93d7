import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // One file per core, not vitest's default of one fewer: end-to-end files spend most of their time
    // waiting on sockets and timers, so a second file fills the first one's waits (on 2 cores the
    // default would run every file one after another).
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // Pure code against plain data: no file leaves state behind (no global dispatcher, fake timers
        // or environment changes), so the files share one module graph instead of each loading
        // discord.js and the rest again, which was a third of the suite's time.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          isolate: false,
          setupFiles: ['test/support/process-state-guard.ts'],
        },
      },
      {
        extends: true,
        // Each file starts its own stand-ins and bots on ephemeral ports, so files may run in parallel;
        // like the unit files they share one module graph per worker (loading discord.js, the store and
        // the bot again per file was 70 s of a 197 s suite). The guard fails a file that leaves
        // process-wide state behind (dispatcher, environment, process listeners).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/undici-isolation.test.ts'],
          isolate: false,
          setupFiles: ['test/support/process-state-guard.ts'],
        },
      },
      {
        extends: true,
        // Fills undici's global dispatcher before anything else loads, on purpose: only meaningful in
        // a fresh process, and it leaves that dispatcher behind.
        test: { name: 'e2e-isolated', include: ['test/e2e/undici-isolation.test.ts'] },
      },
    ],
  },
});
