// Reads the send-times.txt files bench/send-times.mjs left under a kept bench work folder and prints,
// per run (a cluster run's instances are its folders cluster-<instances>-<i>), how many counted
// requests its bots together sent: in total, at most in a calendar second, and in any 1 s window.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';

const root = process.argv[2];
if (!root) throw new Error('usage: node bench/send-times-report.mjs <bench work folder>');
const runs = new Map();
for (const entry of readdirSync(root, { recursive: true }).map(String)) {
  if (!entry.endsWith('send-times.txt')) continue;
  const run = dirname(entry).replace(/-\d+$/, '');
  const times = runs.get(run) ?? [];
  for (const line of readFileSync(join(root, entry), 'utf8').split('\n'))
    if (line) times.push(Number(line.split(' ')[0]));
  runs.set(run, times);
}
for (const [run, times] of [...runs].sort()) {
  times.sort((a, b) => a - b);
  const perSecond = new Map();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  let window = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    window = Math.max(window, i - j + 1);
  }
  const most = Math.max(0, ...perSecond.values());
  process.stdout.write(
    `${run}: ${times.length} counted requests sent; at most ${most} in a calendar second, ${window} in any 1 s window\n`,
  );
}
