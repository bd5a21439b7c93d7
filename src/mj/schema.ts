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

/** The fork's video results (Models/TaskInfo.cs L572-578, L780-805): `[{url, thumbnail}]`, unreadable items dropped. */
const videoList = z
  .unknown()
  .optional()
  .transform((v): { url: string; thumbnail: string | null }[] => {
    if (!Array.isArray(v)) return [];
    const out: { url: string; thumbnail: string | null }[] = [];
    for (const item of v as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { url, thumbnail } = item as Record<string, unknown>;
      if (typeof url !== 'string' || url.trim() === '') continue;
      out.push({
        url: url.trim(),
        thumbnail: typeof thumbnail === 'string' && thumbnail.trim() !== '' ? thumbnail.trim() : null,
      });
    }
    return out;
  });

const nonEmpty = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null));

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
    // trueai-org/midjourney-proxy src/Midjourney.Base/Models/TaskInfo.cs: seed L386, mode (FAST/RELAX/TURBO)
    // L430, botType (MID_JOURNEY/NIJI_JOURNEY) L118, version ("v 7", "niji 6") L609, videoUrl L475,
    // videoUrls L572-578. The other servers send none of them (or "" / null), which reads as null / [].
    seed: nonEmpty,
    mode: nonEmpty,
    botType: nonEmpty,
    version: nonEmpty,
    videoUrl: nonEmpty,
    videoUrls: videoList,
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
    seed: t.seed,
    mode: t.mode === null ? null : t.mode.toUpperCase(),
    botType: t.botType === null ? null : t.botType.toUpperCase(),
    version: t.version,
    videoUrl: t.videoUrl,
    videoUrls: t.videoUrls,
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

/**
 * Submit envelope `{code, description, result, properties}` (NZK SubmitResultVO and its heirs). The fork
 * answers its NewTask limits and bans with its other envelope, HTTP 200 `{success:false, code:-1, message}`
 * (trueai-org/midjourney-proxy src/Midjourney.API/Filters/CustomLogicExceptionFilterAttribute.cs L41-52,
 * src/Midjourney.Base/Models/Result.cs L71): its `message` stands in for the missing description.
 */
export const SubmitResultSchema = z
  .looseObject({
    code: z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number),
    description: text,
    message: text,
    result: z
      .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])), z.null()])
      .optional()
      .transform((v) => (v === null || v === undefined ? null : Array.isArray(v) ? v.map(String) : String(v))),
    properties: record,
  })
  .transform((r) => ({
    code: r.code,
    description: r.description !== '' ? r.description : r.message,
    result: r.result,
    properties: r.properties,
  }));

export type SubmitResult = z.output<typeof SubmitResultSchema>;
