// What makes one real server differ from another, as data and small switches. The stand-in's server,
// submit and view code ask the profile; ./legacy.ts keeps the generic behaviour the e2e suite was built on.
import type { IncomingHttpHeaders } from 'node:http';
import type { ImageInputRules } from '../image-inputs.js';
import type { StoredTask } from '../task-view.js';
import type { DialectName, Flavor, MjButtonJson, RouteName, ServerState, UnknownIdShape } from '../types.js';

export type Json = Record<string, unknown>;

/** A whole HTTP answer: JSON, or text (possibly empty) with an optional content-type. */
export type HttpAnswer = { status: number; json: unknown } | { status: number; text: string; contentType?: string };

export interface GateRequest {
  route: RouteName;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text, or undefined). */
  body: unknown;
  apiKey: string;
  state: ServerState;
  now: number;
}

export interface SubmitRules {
  /** Code 21 for a task that now waits for /submit/modal: its description and properties (none on plus). */
  modalWaiting(task: StoredTask): { description: string; properties?: Json };
  /** A repeated grid U answers 21 "任务已存在" with the first child (NZK docs), instead of a new task. */
  repeatedUpscaleAnswers21: boolean;
  /** A banned imagine prompt: code 24 at submit (NZK), or a FAILURE later (FORK's check runs after submit). */
  bannedPrompt: 'code24' | 'failLater';
  /** failReason of a banned prompt's task when it fails later. */
  bannedFailReason(word: string): string;
  /**
   * Describe's 1️⃣–4️⃣: the prompt their MODAL task starts with (the fork: the chosen line, keycap included),
   * or null to keep the parent's.
   */
  picReaderPrompt(finalPrompt: string, n: number): string | null;
  /** Describe's 🎉 Imagine all starts one imagine per line and answers "id1,id2,…" (the fork). */
  imagineAllSplits: boolean;
  /** Buttons the server refuses with code 4 (its description), or null when it runs them. */
  buttonRefusal(customId: string): string | null;
  /** /submit/modal refuses a task that is not MODAL (code 4). FORK does not check and re-enqueues it. */
  modalChecksStatus: boolean;
  /** /submit/modal on Vary (Region) needs maskBase64. */
  modalNeedsMask: boolean;
  /** new-api keeps a second row with the same id after /submit/modal (see ./newapi.ts). */
  duplicateRowAfterModal: boolean;
  /** Images on imagine, describe and blend: data URLs, and http(s) URLs where the server takes them. */
  images: ImageInputRules;
}

export interface DialectProfile {
  readonly name: DialectName | 'legacy';
  /** Whose task copy /fetch serves: the proxy's own, or new-api's polled DB row. */
  readonly flavor: Flavor;
  readonly unknownIdShape: UnknownIdShape;
  /** API routes the server has; the others answer as its router does for an unknown path. */
  readonly routes: ReadonlySet<RouteName>;
  /** POST /mj/task/list-by-ids works as list-by-condition (the fork's alias). */
  readonly listByIdsAlias: boolean;
  /** GET /mj/task/list: how many of the latest tasks it serves, newest first; null: all of them. */
  readonly listLimit?: number | null;
  /** Answers before the route runs: auth, new-api's distributor, the fork's NewTask limits. null = go on. */
  gate(req: GateRequest): HttpAnswer | null;
  /** The proxy's task JSON as this server serialises it (fields kept, added or dropped). */
  shapeUpstream(json: Json, task: StoredTask, baseUrl: string): Json;
  /** Buttons a SUCCESS task of this action carries (a server without buttons drops them in shapeUpstream). */
  successButtons(action: string, jobUuid: string): MjButtonJson[];
  /** An answer for a path the server does not have, before its 404 (NZK checks the secret first). */
  unknownPathGate?(path: string, req: Pick<GateRequest, 'headers' | 'apiKey'>): HttpAnswer | null;
  /** What a path the server does not have answers, when not its flavor's usual 404. */
  routeNotFound?: HttpAnswer;
  /** GET /mj/task/{id}/image-seed, for the dialects that have it; `upstream` is the proxy's task JSON. */
  imageSeed?(task: StoredTask | undefined, upstream: Json | undefined): HttpAnswer;
  readonly submit: SubmitRules;
}

export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export const EMPTY_401: HttpAnswer = { status: 401, text: '' };

/** The code-21 answer FORK writes (TaskService.cs L1716, L1751, L1812): "Waiting for window confirm". */
export const forkModalWaiting = (task: StoredTask) => ({
  description: 'Waiting for window confirm',
  properties: { finalPrompt: task.prompt, remix: true },
});

/** The SubmitResultVO envelope of NZK/FORK (result/SubmitResultVO.java; Models/SubmitResultVO.cs). */
export const envelopeJson = (code: number, description: string, result: string | null = null, properties: Json = {}) =>
  result === null ? { code, description, properties } : { code, description, result, properties };

/** A seed as MJ's ✉️ reaction reports it: digits, derived from the task id so tests can predict it. */
export const seedOf = (taskId: string): string => String(Number(taskId.slice(-9)) % 4_294_967_295);

/** The generic stand-in's rules; a dialect spreads them and overrides where its server differs. */
export const GENERIC_RULES: SubmitRules = {
  modalWaiting: forkModalWaiting,
  repeatedUpscaleAnswers21: true,
  bannedPrompt: 'code24',
  bannedFailReason: (word) => `[Banned prompt detected] ${word}`,
  picReaderPrompt: () => null,
  imagineAllSplits: false,
  buttonRefusal: () => null,
  modalChecksStatus: true,
  modalNeedsMask: true,
  duplicateRowAfterModal: false,
  images: { acceptsUrls: false },
};
