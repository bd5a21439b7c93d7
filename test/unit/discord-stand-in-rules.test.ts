// The Discord stand-in's own life (heartbeats, a lost session, a clean close) and the form rules it
// enforces like Discord (message payloads, components, modals), checked with plain data.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import {
  createDiscordStandIn,
  isUnicodeEmoji,
  messagePayloadViolations,
  modalViolations,
} from '../support/discord/index.js';

describe('Discord stand-in lifecycle', () => {
  it('acks heartbeats, re-identifies after a lost session, and leaves no server or socket behind', async () => {
    const tcpHandles = () => process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
    const before = tcpHandles();
    const own = await createDiscordStandIn({ heartbeatIntervalMs: 40 });
    const ownClient = new Client({ intents: [GatewayIntentBits.Guilds], ...own.clientOptions() });
    const ready = once(ownClient, Events.ClientReady, { signal: AbortSignal.timeout(5000) });
    await ownClient.login(own.token);
    await ready;
    await own.waitFor(
      () => own.gatewayLog.filter((e) => e.direction === 'sent' && e.op === 11).length >= 2,
      2000,
      'two heartbeat ACKs',
    );
    expect(own.gatewayStatus().connected).toBe(true);

    // A session the stand-in forgot cannot be resumed: INVALID_SESSION, then a fresh IDENTIFY.
    const readyAgain = once(ownClient, Events.ShardReady, { signal: AbortSignal.timeout(5000) });
    own.disconnectClient({ resumable: false });
    await readyAgain;
    expect(own.gatewayLog.filter((e) => e.direction === 'received' && e.op === 2)).toHaveLength(2);
    expect(own.gatewayLog.some((e) => e.direction === 'sent' && e.op === 9)).toBe(true);

    // Destroy the client first, or it would keep reconnecting to the closed stand-in.
    await ownClient.destroy();
    await own.close();
    await expect(fetch(`${own.apiBase}/v10/gateway`)).rejects.toThrow();
    await expect(own.waitFor(() => true)).rejects.toThrow(/closed/);
    // The client's side of a closed socket goes away on a later tick: wait for it rather than race it.
    await vi.waitFor(() => expect(tcpHandles()).toBeLessThanOrEqual(before), { timeout: 2_000 });
  });
});

describe("Discord's form rules in the stand-in", () => {
  const codes = (violations: Array<{ path: Array<string | number>; code: string }>) =>
    violations.map((v) => `${v.path.join('.')}:${v.code}`);
  const row = (...components: object[]) => ({ type: 1, components });
  const button = (extra: object) => ({ type: 2, style: 2, label: 'x', custom_id: 'id', ...extra });
  const field = { name: 'n', value: 'v' };

  it.each([
    [{ content: 'x'.repeat(2001) }, 'content:BASE_TYPE_MAX_LENGTH'],
    [{ embeds: [{ title: 't'.repeat(257) }] }, 'embeds.0.title:BASE_TYPE_MAX_LENGTH'],
    [{ embeds: [{ description: 'd'.repeat(4097) }] }, 'embeds.0.description:BASE_TYPE_MAX_LENGTH'],
    [{ embeds: [{ fields: Array.from({ length: 26 }, () => field) }] }, 'embeds.0.fields:BASE_TYPE_MAX_LENGTH'],
    [
      { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
      'embeds.0.fields.0.value:BASE_TYPE_BAD_LENGTH',
    ],
    [{ embeds: [{ footer: { text: 'f'.repeat(2049) } }] }, 'embeds.0.footer.text:BASE_TYPE_BAD_LENGTH'],
    [
      { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
      'embeds:MAX_EMBED_SIZE_EXCEEDED',
    ],
    [{ embeds: [{ image: { url: 'ftp://x/y.png' } }] }, 'embeds.0.image.url:URL_TYPE_INVALID_SCHEME'],
    [{ components: [row(button({ label: 'l'.repeat(81) }))] }, 'components.0.components.0.label:BASE_TYPE_MAX_LENGTH'],
    [
      { components: [row(...Array.from({ length: 6 }, (_, i) => button({ custom_id: `b${i}` })))] },
      'components.0.components:BASE_TYPE_BAD_LENGTH',
    ],
    [
      { components: [row(button({ style: 5, url: 'https://x.y' }))] },
      'components.0.components.0.custom_id:BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE',
    ],
    [{ components: [row({ type: 2, style: 5, label: 'Web' })] }, 'components.0.components.0.url:BASE_TYPE_REQUIRED'],
    [
      { components: [row(button({ custom_id: undefined }))] },
      'components.0.components.0.custom_id:BUTTON_COMPONENT_CUSTOM_ID_REQUIRED',
    ],
  ])('rejects %j', (payload, expected) => {
    expect(codes(messagePayloadViolations(payload))).toContain(expected);
  });

  it('accepts an MJ-style result message and checks emoji the way Discord does', () => {
    const buttons = ['🔄', '⬆️', '🪄', '🖌️', '🔍', '⬅️'].map((name, i) =>
      button({ custom_id: `MJ::JOB::${i}`, emoji: { name } }),
    );
    const payload = {
      embeds: [{ title: 'a cat', image: { url: 'attachment://grid.png' }, fields: [field] }],
      components: [
        row(...buttons.slice(0, 5)),
        row(buttons[5]!, { type: 2, style: 5, label: 'Web', url: 'https://x.y' }),
      ],
    };
    expect(messagePayloadViolations(payload)).toEqual([]);
    for (const valid of ['🇺🇸', '1️⃣', '👍🏽', '👨‍👩‍👧']) expect(isUnicodeEmoji(valid)).toBe(true);
    for (const invalid of ['upscale_1', ':arrow_up:', 'U', '', '🔄x']) expect(isUnicodeEmoji(invalid)).toBe(false);
    expect(
      messagePayloadViolations({ components: [row(button({ emoji: { id: '123', name: 'upscale_1' } }))] }),
    ).toEqual([]);
  });

  it('checks modals in both layouts', () => {
    const input = { type: 4, custom_id: 'prompt', style: 2, value: 'a cat' };
    const labelled = { type: 18, label: 'Prompt', component: input };
    const legacy = { type: 1, components: [{ ...input, label: 'Prompt' }] };
    expect(modalViolations({ custom_id: 'm', title: 'Custom Zoom', components: [labelled] })).toEqual([]);
    expect(modalViolations({ custom_id: 'm', title: 'Custom Zoom', components: [legacy] })).toEqual([]);
    expect(codes(modalViolations({ custom_id: 'm', title: 't'.repeat(46), components: [labelled] }))).toEqual([
      'title:BASE_TYPE_BAD_LENGTH',
    ]);
    expect(
      codes(modalViolations({ custom_id: 'm', title: 't', components: Array.from({ length: 6 }, () => labelled) })),
    ).toContain('components:BASE_TYPE_BAD_LENGTH');
    expect(
      codes(
        modalViolations({
          custom_id: 'm',
          title: 't',
          components: [{ ...labelled, component: { ...input, value: 'v'.repeat(4001) } }],
        }),
      ),
    ).toEqual(['components.0.component.value:BASE_TYPE_MAX_LENGTH']);
  });
});
