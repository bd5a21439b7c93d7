// `npm run doctor`: checks the setup the way the bot would use it (settings, Discord, the Midjourney
// API, webhook, database) and prints one line per check. Exit code 1 when a check failed.
import dotenv from 'dotenv';
import { redactSecrets } from '../log.js';
import { runDoctor } from './checks.js';
import { formatReport } from './format.js';

dotenv.config({ quiet: true });

try {
  const report = await runDoctor({ env: process.env });
  process.stdout.write(`${formatReport(report).join('\n')}\n`);
  process.exitCode = report.ok ? 0 : 1;
} catch (err) {
  const secrets = [process.env.DISCORD_TOKEN, process.env.MJ_API_KEY, process.env.WEBHOOK_SECRET];
  process.stderr.write(
    `The doctor itself failed: ${redactSecrets(err instanceof Error ? err.message : String(err), secrets)}\n`,
  );
  process.exitCode = 1;
}
