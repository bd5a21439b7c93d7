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

/** Choices a new task may carry where the server takes them (capabilities' newTask). */
export interface NewTaskChoices {
  /** `botType`: Midjourney or niji・journey. */
  botType?: 'MID_JOURNEY' | 'NIJI_JOURNEY';
  /** Sent as `accountFilter.modes`: the speed of this one task. */
  modes?: ReadonlyArray<'FAST' | 'RELAX' | 'TURBO'>;
}

export interface SubmitImagineRequest extends SubmitCallbackOptions, NewTaskChoices {
  prompt: string;
  /** Image prompts as data URLs. */
  base64Array?: string[];
}

/** /submit/describe: one image (a data URL) → four prompts. */
export interface SubmitDescribeRequest extends SubmitCallbackOptions, NewTaskChoices {
  base64: string;
}

export type BlendDimensions = 'PORTRAIT' | 'SQUARE' | 'LANDSCAPE';

/** /submit/blend: 2–5 images (data URLs) and the shape of the result. */
export interface SubmitBlendRequest extends SubmitCallbackOptions, NewTaskChoices {
  base64Array: string[];
  dimensions: BlendDimensions;
}

/** /submit/shorten (fork, plus, new-api): a prompt → up to five shorter ones and the analysis behind them. */
export interface SubmitShortenRequest extends SubmitCallbackOptions, NewTaskChoices {
  prompt: string;
}

/**
 * /submit/video (trueai-org/midjourney-proxy Dto/SubmitVideoDTO.cs L36-86): a start frame (an image URL)
 * animated with this motion; `prompt` may be empty but is sent.
 */
export interface SubmitVideoRequest extends SubmitCallbackOptions, NewTaskChoices {
  prompt: string;
  motion: 'high' | 'low';
  image: string;
}

export interface MjApi {
  /** GET /mj/task/{id}/fetch. Throws MjApiError (kind 'invalid_id' before any request). */
  fetchTask(id: string): Promise<MjTask>;
  /** POST /mj/task/list-by-condition {ids}. Throws kind 'unsupported' when the API lacks the route. Ids it does not know are simply absent. */
  fetchTasks(ids: string[]): Promise<MjTask[]>;
  submitAction(req: SubmitActionRequest): Promise<SubmitResult>;
  submitModal(req: SubmitModalRequest): Promise<SubmitResult>;
  submitImagine(req: SubmitImagineRequest): Promise<SubmitResult>;
  submitDescribe(req: SubmitDescribeRequest): Promise<SubmitResult>;
  submitBlend(req: SubmitBlendRequest): Promise<SubmitResult>;
  submitShorten(req: SubmitShortenRequest): Promise<SubmitResult>;
  submitVideo(req: SubmitVideoRequest): Promise<SubmitResult>;
  /** POST /mj/submit/change, the original Java proxy's only way to press U/V/🔄. Absent: not offered. */
  submitChange?(req: SubmitChangeRequest): Promise<SubmitResult>;
  /**
   * GET /mj/task/{id}/image-seed (fork, plus, new-api): the envelope, `result` the seed when code is 1.
   * Absent: not offered.
   */
  fetchImageSeed?(id: string): Promise<SubmitResult>;
  /** GET /mj/task/list: the server's latest tasks, newest first (capabilities' offers.recentList). Absent: not offered. */
  recentTasks?(): Promise<MjTask[]>;
  close(): Promise<void>;
}
