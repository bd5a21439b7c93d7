// Discord ids (snowflakes) are 17 to 20 decimal digits today. Every pattern that reads one is built
// from this, so a wider id range is one edit.
export const SNOWFLAKE_DIGITS = String.raw`\d{17,20}`;

const WHOLE_SNOWFLAKE = new RegExp(`^${SNOWFLAKE_DIGITS}$`);

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && WHOLE_SNOWFLAKE.test(value);
}
