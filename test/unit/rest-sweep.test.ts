// discord.js keeps one request handler per interaction token and, left at its default, sweeps idle
// ones once an hour: memory that grows with every member's answer. Both of the bot's REST clients
// (the discord.js client's and the gated one) must drop them within REST_HANDLER_SWEEP_MS.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import {
  createDiscordConnection,
  REST_HANDLER_SWEEP_MS,
  type DiscordConnection,
} from '../../src/discord/client-setup.js';
import { createRedactor } from '../../src/redact.js';

const APP = '1180000000000000001';
/** Interaction tokens are long; discord.js keys a webhook route's handler by application id and token. */
const tokenOf = (i: number) => `aW50ZXJhY3Rpb246${String(i).padStart(6, '0')}`.padEnd(80, 'x');

let server: Server | undefined;
const connections: DiscordConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) {
    await c.client.destroy();
    await c.close();
  }
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function discordStandIn(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1190000000000000001', content: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/api`;
}

function connect(apiUrl: string, sweepMs?: number): DiscordConnection {
  const config = loadConfig({
    DISCORD_TOKEN: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc',
    DISCORD_API_URL: apiUrl,
    MJ_API_URL: 'https://mj.example.com',
    MJ_API_KEY: 'sk-secret-key-123456',
  });
  const c = createDiscordConnection(
    config,
    createRedactor([]),
    sweepMs === undefined ? undefined : { rest: { handlerSweepInterval: sweepMs } },
  );
  connections.push(c);
  return c;
}

describe("the REST clients' idle handlers", () => {
  it('are swept every minute by default, on both clients', async () => {
    const c = connect(await discordStandIn());
    expect(REST_HANDLER_SWEEP_MS).toBeLessThanOrEqual(60_000);
    expect(c.client.rest.options.handlerSweepInterval).toBe(REST_HANDLER_SWEEP_MS);
    expect(c.gatedRest.options.handlerSweepInterval).toBe(REST_HANDLER_SWEEP_MS);
  });

  it('one per interaction token, gone at the sweep once answered', async () => {
    const c = connect(await discordStandIn(), 200);
    const swept = { client: 0, gated: 0 };
    c.client.rest.on('handlerSweep', (handlers) => (swept.client += handlers.size));
    c.gatedRest.on('handlerSweep', (handlers) => (swept.gated += handlers.size));
    for (let i = 0; i < 30; i++) {
      const route = Routes.webhookMessage(APP, tokenOf(i));
      await c.client.rest.patch(route, { auth: false, body: { content: `answer ${i}` } });
      await c.gatedRest.patch(route, { auth: false, body: { content: `progress ${i}` } });
    }
    await expect.poll(() => [swept.client, swept.gated], { timeout: 3_000, interval: 50 }).toEqual([30, 30]);
    expect(c.client.rest.handlers.size + c.gatedRest.handlers.size).toBe(0);
  });
});
