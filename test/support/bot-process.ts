// The bot as a real child process, exactly as deployed (`node --import tsx src/main.ts`, config from
// the environment), pointed at stand-ins that run in the test process. Crash tests kill it with
// SIGKILL where they like, restart it on the same database, and read its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '../..');

export interface BotProcess {
  readonly pid: number;
  /** Parsed JSON log lines (stdout) so far; non-JSON output goes to `stderr()`. */
  logs(): Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the first log line the predicate accepts (already written or to come). */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<Record<string, unknown>>;
  /** Resolves once the bot logged `bot.ready` (logged in, commands registered, tracking resumed). */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends a signal; SIGKILL gives the process no chance to write anything. */
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process is gone. */
  hasExited(): boolean;
}

const running = new Set<ChildProcess>();

export interface SpawnOptions {
  /** The process's open-file limit (`ulimit -n`), as on a host with a small default such as 1024. */
  maxOpenFiles?: number;
}

/** Starts `node --import tsx src/main.ts` with exactly `env` (plus PATH), in the repository root. */
export function spawnBot(env: Record<string, string>, options: SpawnOptions = {}): BotProcess {
  const node = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  // `exec` keeps the pid: signals sent to the child reach node itself, not a shell around it.
  const [command, ...args] =
    options.maxOpenFiles === undefined
      ? node
      : ['/bin/sh', '-c', `ulimit -n ${Math.trunc(options.maxOpenFiles)} && exec "$@"`, 'sh', ...node];
  const child = spawn(command!, args, {
    cwd: REPO_ROOT,
    // Nothing from the test process leaks in (NODE_OPTIONS, VITEST…): the bot sees only its config.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the bot process');
  running.add(child);
  const lines: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  let errText = '';
  let partial = '';
  let gone = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        errText += `${line}\n`;
      }
    }
    for (const listener of [...listeners]) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errText += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      running.delete(child);
      for (const listener of [...listeners]) listener();
      resolve({ code, signal });
    }),
  );

  const waitForLog: BotProcess['waitForLog'] = (predicate, timeoutMs = 10_000, what = 'a log line') =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found) return finish(() => resolve(found));
        if (gone) finish(() => reject(new Error(`the bot exited before ${what}; stderr: ${errText.slice(-2000)}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out waiting for ${what}; stderr: ${errText.slice(-2000)}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return {
    pid: child.pid,
    logs: () => lines,
    stderr: () => errText,
    waitForLog,
    ready: async (timeoutMs = 15_000) => {
      await waitForLog((l) => l.event === 'bot.ready', timeoutMs, 'bot.ready');
    },
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
    exited,
    hasExited: () => gone,
  };
}

/** SIGKILLs every bot process still running (for afterAll) and waits for them to go. */
export async function killAllBots(): Promise<void> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
