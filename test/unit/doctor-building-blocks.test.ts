// The doctor's pure parts, with plain data: Discord's permission arithmetic (roles, overwrites,
// owner, administrator) and the webhook public URL check, which must never show the secret.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS, channelPermissions, missingPermissionNames } from '../../src/doctor/permissions.js';
import { checkWebhookUrl } from '../../src/doctor/webhook-checks.js';
import { Permission } from '../support/discord/index.js';

const WEBHOOK_SECRET = `whsec_${randomBytes(12).toString('hex')}`;

describe('doctor building blocks', () => {
  it('computes channel permissions the way Discord does', () => {
    const base = { guildId: 'g', ownerId: 'owner', userId: 'bot', memberRoleIds: ['r'], overwrites: [] };
    const roles = [
      { id: 'g', permissions: String(Permission.ViewChannel) },
      { id: 'r', permissions: String(Permission.SendMessages | Permission.EmbedLinks) },
    ];
    expect(missingPermissionNames(channelPermissions({ ...base, roles }))).toEqual([
      'Attach Files',
      'Read Message History',
    ]);
    const admin = [...roles, { id: 'a', permissions: String(1n << 3n) }];
    const denyAll = [{ id: 'g', type: 0, allow: '0', deny: String(BOT_PERMISSIONS) }];
    expect(
      missingPermissionNames(channelPermissions({ ...base, roles: admin, memberRoleIds: ['a'], overwrites: denyAll })),
    ).toEqual([]);
    expect(
      missingPermissionNames(channelPermissions({ ...base, roles, userId: 'owner', overwrites: denyAll })),
    ).toEqual([]);
    // The member overwrite wins over a role overwrite.
    const overwrites = [
      { id: 'r', type: 0, allow: '0', deny: String(Permission.SendMessages) },
      {
        id: 'bot',
        type: 1,
        allow: String(Permission.SendMessages | Permission.AttachFiles | Permission.ReadMessageHistory),
        deny: '0',
      },
    ];
    expect(missingPermissionNames(channelPermissions({ ...base, roles, overwrites }))).toEqual([]);
    expect(BOT_PERMISSIONS).toBe(117760n);
  });

  it('checks the webhook public URL without ever showing the secret', () => {
    const webhook = (publicUrl: string) => ({
      port: 8787,
      secret: WEBHOOK_SECRET,
      publicUrl,
      notifyHookUrl: `${publicUrl}/notify/${WEBHOOK_SECRET}`,
    });
    const local = checkWebhookUrl(webhook('http://localhost:8787'), 'https://api.example.com');
    expect(local).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('the Midjourney API at api.example.com is remote'),
    });
    expect(checkWebhookUrl(webhook('http://127.0.0.1:8787'), 'http://127.0.0.1:8080').status).toBe('ok');
    expect(
      checkWebhookUrl(webhook(`https://bot.example.com/${'a'.repeat(2000)}`), 'https://api.example.com'),
    ).toMatchObject({
      status: 'fail',
      fix: 'shorten WEBHOOK_PUBLIC_URL or WEBHOOK_SECRET',
    });
    expect(checkWebhookUrl(webhook('https://bot.example.com/?x=1'), 'https://api.example.com').status).toBe('fail');
    const good = checkWebhookUrl(webhook('https://bot.example.com/hooks'), 'https://api.example.com');
    expect(good).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('https://bot.example.com/hooks/notify/…'),
    });
    expect(JSON.stringify([local, good])).not.toContain(WEBHOOK_SECRET);
  });
});
