// Snowflakes carry their creation time, so discord.js's createdTimestamp matches the stand-in clock.
import type { Clock } from '../../../src/clock.js';

const DISCORD_EPOCH = 1_420_070_400_000n;

export class SnowflakeFactory {
  private last = 0n;

  constructor(private readonly clock: Clock) {}

  next(): string {
    const ms = BigInt(Math.max(Math.floor(this.clock.now()), Number(DISCORD_EPOCH)));
    let id = (ms - DISCORD_EPOCH) << 22n;
    // Several ids per millisecond (or a clock set backwards) must still be unique and ordered.
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}
