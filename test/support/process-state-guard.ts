// Test files of a project with `isolate: false` share one process per worker, one after another: what a
// file leaves in process-wide state reaches every later file in that worker (a foreign undici dispatcher
// broke multipart uploads in another file once). This setup file makes a file that leaves such state fail
// itself, at its end, instead of an innocent later one.
import { afterAll, beforeAll, expect } from 'vitest';

// Read through the symbol both undici majors use: importing undici here would fill the dispatcher itself
// (undici 7 installs its own Agent when the module loads), which is the very leak this guard is for.
const dispatcherSymbol = Symbol.for('undici.globalDispatcher.1');
const globalDispatcher = (): unknown => (globalThis as Record<symbol, unknown>)[dispatcherSymbol];

const watchedSignals = ['SIGTERM', 'SIGINT', 'unhandledRejection', 'uncaughtException'] as const;

let dispatcherBefore: unknown;
let environmentBefore: Record<string, string | undefined>;
let listenersBefore: Record<string, number>;

const listenerCounts = (): Record<string, number> =>
  Object.fromEntries(watchedSignals.map((name) => [name, process.listenerCount(name)]));

beforeAll(() => {
  dispatcherBefore = globalDispatcher();
  environmentBefore = { ...process.env };
  listenersBefore = listenerCounts();
});

afterAll(() => {
  // Unset before is fine: loading undici fills it, as it does in the bot's own process.
  if (dispatcherBefore !== undefined)
    expect(globalDispatcher() === dispatcherBefore, 'the file left another undici global dispatcher').toBe(true);
  expect({ ...process.env }, 'the file left environment variables changed').toEqual(environmentBefore);
  expect(listenerCounts(), 'the file left process listeners behind').toEqual(listenersBefore);
});
