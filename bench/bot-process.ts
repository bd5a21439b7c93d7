// The bot as a child process, exactly as `npm start` runs it (compiled JS under node with the start
// script's flags, configured by its environment only): its JSON log lines counted (warn and above) and
// handed to the caller and kept in bot.log in its folder, ready when it logs bot.ready.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface RunningBot {
  pid: number;
  ready: Promise<void>;
  exited: Promise<void>;
  problems: Record<string, number>;
  stop(): Promise<void>;
  /** SIGKILL: the process gets no chance to release anything. */
  kill(): Promise<void>;
}

export function startBot(
  path: string,
  execArgv: string[],
  cwd: string,
  env: Record<string, string>,
  onLog?: (entry: { level?: number; msg?: string; event?: string } & Record<string, unknown>) => void,
): RunningBot {
  // Only its configuration: nothing of the bench's own environment (NODE_OPTIONS…) reaches the bot.
  const child = spawn(process.execPath, [...execArgv, path], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the bot');
  const problems: Record<string, number> = {};
  let stderr = '';
  let partial = '';
  let markReady: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (fail = reject)));
  // Every line is kept beside the instance's database (bot.log), to read after a run.
  const logFile = createWriteStream(join(cwd, 'bot.log'));
  child.once('exit', () => logFile.end());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    logFile.write(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { level?: number; msg?: string; event?: string } & Record<string, unknown>;
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.event === 'bot.ready') markReady();
      onLog?.(entry);
      if ((entry.level ?? 0) >= 40) {
        const key = `${entry.level! >= 50 ? 'error' : 'warn'}: ${entry.event ?? ''} ${entry.msg ?? ''}`.trim();
        problems[key] = (problems[key] ?? 0) + 1;
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      fail(new Error(`the bot exited (${signal ?? code}) before it was ready: ${stderr}`));
      resolve();
    }),
  );
  return {
    pid: child.pid,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    ready,
    exited,
    problems,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
