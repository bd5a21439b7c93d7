// The bot's configuration against the two stand-ins, shared by the e2e harness (harness.ts) and the
// benchmark (bench/bot-run.ts): where Discord and the API are, their credentials, the database file,
// and the public-address exemption the stand-ins' 127.0.0.1 images need. Each adds its own settings.
import type { DiscordStandIn } from './discord/index.js';
import type { MjStandIn } from './mj/index.js';

export function standInEnv(
  discord: Pick<DiscordStandIn, 'token' | 'apiBase' | 'defaults'>,
  mj: Pick<MjStandIn, 'baseUrl' | 'apiKey'>,
  databasePath: string,
): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiBase,
    DISCORD_GUILD_ID: discord.defaults.guildId,
    MJ_API_URL: mj.baseUrl,
    MJ_API_KEY: mj.apiKey,
    DATABASE_PATH: databasePath,
    // The stand-ins serve result images from 127.0.0.1, which the public-address rule refuses.
    MEDIA_ALLOWED_HOSTS: '127.0.0.1',
  };
}
