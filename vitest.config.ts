import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // e2e files each start their own stand-ins on ephemeral ports, so files may run in parallel.
    pool: 'forks',
    reporters: ['default'],
  },
});
