// How many tasks nobody follows pushes may bring into the updates channels: per server and overall,
// per sliding window. Whoever knows the webhook secret can push any id; these caps bound the rows,
// polls and messages such a flood can cause. Pure: the caller passes the time.

export interface PickUpCapsOptions {
  /** Pick-ups per server per window. Default 10. */
  perGuild?: number;
  /** Pick-ups across all servers per window. Default 30. */
  global?: number;
  /** Default 60 s. */
  windowMs?: number;
}

export interface PickUpCaps {
  /** Whether a pick-up for this server would be refused now (checked before the API is asked). */
  full(guildId: string | null, now: number): boolean;
  /** Counts a pick-up; false (and nothing counted) when a cap is reached. */
  take(guildId: string | null, now: number): boolean;
}

export function createPickUpCaps(options: PickUpCapsOptions = {}): PickUpCaps {
  const perGuild = Math.max(0, options.perGuild ?? 10);
  const global = Math.max(0, options.global ?? 30);
  const windowMs = Math.max(1, options.windowMs ?? 60_000);
  /** Times of the pick-ups in the window, oldest first; at most `global` of them. */
  let all: Array<{ at: number; guildId: string }> = [];

  const recent = (now: number) => {
    const since = now - windowMs;
    if (all.length > 0 && (all[0]?.at ?? now) <= since) all = all.filter((p) => p.at > since);
    return all;
  };
  const guildKey = (guildId: string | null) => guildId ?? 'dm';
  const full = (guildId: string | null, now: number) => {
    const window = recent(now);
    if (window.length >= global) return true;
    const key = guildKey(guildId);
    return window.filter((p) => p.guildId === key).length >= perGuild;
  };

  return {
    full,
    take(guildId, now) {
      if (full(guildId, now)) return false;
      all.push({ at: now, guildId: guildKey(guildId) });
      return true;
    },
  };
}
