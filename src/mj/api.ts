// The interface the bot uses to talk to Midjourney. The real implementation is ./client.ts; tests may
// pass any object of this shape, but e2e tests use the real client against the local stand-in.
import type { MjTask, SubmitResult } from './schema.js';

export interface SubmitCallbackOptions {
  /** Where the API should POST status changes (only sent when configured). */
  notifyHook?: string;
  /** Free-form correlation string echoed back by the API (≤255 chars on FORK). */
  state?: string;
}

export interface SubmitActionRequest extends SubmitCallbackOptions {
  taskId: string;
  customId: string;
}

export interface SubmitModalRequest extends SubmitCallbackOptions {
  /** The id returned by /submit/action (not the parent's). */
  taskId: string;
  prompt: string;
  maskBase64?: string;
}

/** novicezk/midjourney-proxy's U/V/🔄 (controller/SubmitController.java L106-150): no customId, a grid index. */
export interface SubmitChangeRequest extends SubmitCallbackOptions {
  taskId: string;
  action: 'UPSCALE' | 'VARIATION' | 'REROLL';
  /** 1–4; 0 for REROLL. */
  index: number;
}

export interface SubmitImagineRequest extends SubmitCallbackOptions {
  prompt: string;
  base64Array?: string[];
}

export interface MjApi {
  /** GET /mj/task/{id}/fetch. Throws MjApiError (kind 'invalid_id' before any request). */
  fetchTask(id: string): Promise<MjTask>;
  /** POST /mj/task/list-by-condition {ids}. Throws kind 'unsupported' when the API lacks the route. Ids it does not know are simply absent. */
  fetchTasks(ids: string[]): Promise<MjTask[]>;
  submitAction(req: SubmitActionRequest): Promise<SubmitResult>;
  submitModal(req: SubmitModalRequest): Promise<SubmitResult>;
  submitImagine(req: SubmitImagineRequest): Promise<SubmitResult>;
  /** POST /mj/submit/change, the original Java proxy's only way to press U/V/🔄. Absent: not offered. */
  submitChange?(req: SubmitChangeRequest): Promise<SubmitResult>;
  close(): Promise<void>;
}
