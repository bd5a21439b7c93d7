// Zod schemas for what the Midjourney proxy family returns. Lenient on purpose: NZK, PLUS, FORK and
// new-api aggregators all differ (nulls, "" status, numeric ids, missing buttons, extra fields), and a
// field we cannot read must degrade to a default instead of failing the whole task.
import { z } from 'zod';

/** Ids are strings; some APIs send numbers. Keep them as strings (19-digit ids exceed 2^53). */
const idString = z.union([z.string(), z.number()]).transform((v) => String(v));

// `.optional()` before each transform: zod 4 only treats a key as omittable when the schema's input
// side is optional, and a union containing z.undefined() piped into a transform is not.
const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

/** Epoch milliseconds; 0, null or garbage means "unknown". */
const epochMs = z
  .unknown()
  .optional()
  .transform((v) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0
      ? v
      : typeof v === 'string' && /^\d+$/.test(v) && Number(v) > 0
        ? Number(v)
        : null,
  );

const smallInt = (fallback: number) =>
  z
    .unknown()
    .optional()
    .transform((v) =>
      typeof v === 'number' && Number.isInteger(v)
        ? v
        : typeof v === 'string' && /^\d+$/.test(v)
          ? Number(v)
          : fallback,
    );

export const MjButtonSchema = z
  .looseObject({
    customId: text,
    emoji: text,
    label: text,
    type: smallInt(2),
    style: smallInt(2),
  })
  .transform((b) => ({ customId: b.customId, emoji: b.emoji, label: b.label, type: b.type, style: b.style }));

export type MjButton = z.output<typeof MjButtonSchema>;

/** An array in which each unreadable element is dropped rather than failing the whole task. */
const buttonList = z
  .unknown()
  .optional()
  .transform((v): MjButton[] => {
    if (!Array.isArray(v)) return [];
    const out: MjButton[] = [];
    for (const item of v) {
      const parsed = MjButtonSchema.safeParse(item);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  });

const record = z
  .unknown()
  .optional()
  .transform(
    (v): Record<string, unknown> =>
      v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
  );

export const MjTaskSchema = z
  .looseObject({
    id: idString,
    action: text,
    status: text,
    progress: text,
    prompt: text,
    promptEn: text,
    description: text,
    state: text,
    submitTime: epochMs,
    startTime: epochMs,
    finishTime: epochMs,
    imageUrl: z
      .unknown()
      .optional()
      .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)),
    failReason: text,
    buttons: buttonList,
    properties: record,
  })
  .transform((t) => ({
    id: t.id,
    action: t.action,
    status: t.status.trim().toUpperCase(),
    progress: t.progress,
    prompt: t.prompt,
    promptEn: t.promptEn,
    description: t.description,
    state: t.state,
    submitTime: t.submitTime,
    startTime: t.startTime,
    finishTime: t.finishTime,
    imageUrl: t.imageUrl,
    failReason: t.failReason,
    buttons: t.buttons,
    properties: t.properties,
  }));

/** A task as the bot uses it: every field present, normalised. `status` is upper-case, "" = just submitted. */
export type MjTask = z.output<typeof MjTaskSchema>;

export const MjTaskListSchema = z.array(z.unknown()).transform((items): MjTask[] => {
  const out: MjTask[] = [];
  for (const item of items) {
    const parsed = MjTaskSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
});

/** Submit envelope `{code, description, result, properties}` (NZK SubmitResultVO and its heirs). */
export const SubmitResultSchema = z
  .looseObject({
    code: z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number),
    description: text,
    result: z
      .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])), z.null()])
      .optional()
      .transform((v) => (v === null || v === undefined ? null : Array.isArray(v) ? v.map(String) : String(v))),
    properties: record,
  })
  .transform((r) => ({ code: r.code, description: r.description, result: r.result, properties: r.properties }));

export type SubmitResult = z.output<typeof SubmitResultSchema>;
