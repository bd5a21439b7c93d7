// A preload for the bot processes of a bench run: writes when each request that counts against
// Discord's global limit (a /channels/ route) left the process, one line per request, to
// send-times.txt in the bot's working folder (its instance's folder in the bench's work folder).
// It tells the bots' sending from the Discord stand-in's counting on arrival, which bunches when the
// stand-in's process stalls. With --keep the files stay; bench/send-times-report.mjs reads them:
//   BENCH_BOT_FLAGS="--import $PWD/bench/send-times.mjs" npm run bench -- --only cluster --keep
//   node bench/send-times-report.mjs <the work folder the bench names>
import diagnostics from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

// undici publishes this when a request's headers are written to the socket: the moment it was sent.
// Appended at once, so a process killed with SIGKILL loses nothing it sent.
diagnostics.subscribe('undici:client:sendHeaders', ({ request }) => {
  const path = String(request.path ?? '').split('?')[0];
  if (path.includes('/channels/')) appendFileSync('send-times.txt', `${Date.now()} ${request.method} ${path}\n`);
});
