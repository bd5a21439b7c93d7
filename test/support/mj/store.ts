// The stand-in's tasks: O(1) lookup by id, creation order for /task/list, and NZK-style 16-digit ids.
import { randomUUID } from 'node:crypto';
import { startForStatus, type StoredTask } from './task-view.js';
import type { TaskOptions, TaskSeed, Timeline } from './types.js';

const POSITIONED = new Set(['', 'NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'SUCCESS', 'FAILURE', 'MODAL']);

export interface NewTaskFields {
  action: string;
  aggregatorAction?: string;
  prompt: string;
  description: string;
  state?: string;
  notifyHook?: string;
  parentId?: string;
  /** null: created MODAL, waiting for /submit/modal. */
  startedAt: number | null;
  modalKind?: string;
}

export class TaskStore {
  private readonly tasks = new Map<string, StoredTask>();
  private readonly order: string[] = [];
  /** parentId|customId → child id, for repeated grid U (code 21). */
  private readonly upscaleChildren = new Map<string, string>();
  private idMs = 0;
  private idSeq = 0;

  constructor(
    private readonly clockNow: () => number,
    private readonly defaultTimeline: Timeline,
    private readonly defaultUnknownForMs: number,
  ) {}

  get size(): number {
    return this.tasks.size;
  }

  get(id: string): StoredTask | undefined {
    return this.tasks.get(id);
  }

  /** `currentTimeMillis() + 3 digits` like NZK/FORK; past 999 per ms the ms part moves on, so ids stay unique. */
  newId(): string {
    const now = Math.trunc(this.clockNow());
    if (now > this.idMs) {
      this.idMs = now;
      this.idSeq = 0;
    } else if (++this.idSeq > 999) {
      this.idMs += 1;
      this.idSeq = 0;
    }
    return `${this.idMs}${String(this.idSeq).padStart(3, '0')}`;
  }

  timelineFrom(options?: TaskOptions, extra?: Partial<Timeline>): Timeline {
    return { ...this.defaultTimeline, ...options?.timeline, ...extra };
  }

  create(
    fields: NewTaskFields,
    options: TaskOptions = {},
    id = this.newId(),
    timeline = this.timelineFrom(options),
  ): StoredTask {
    if (this.tasks.has(id)) throw new Error(`task ${id} already exists in the stand-in`);
    const now = this.clockNow();
    const task: StoredTask = {
      id,
      action: fields.action,
      aggregatorAction: fields.aggregatorAction ?? fields.action,
      prompt: fields.prompt,
      description: fields.description,
      state: fields.state ?? '',
      submitTime: Math.min(now, fields.startedAt ?? now),
      startedAt: fields.startedAt,
      timeline,
      jobUuid: randomUUID(),
      unknownForMs: options.unknownForMs ?? this.defaultUnknownForMs,
      ...(fields.parentId !== undefined && { parentId: fields.parentId }),
      ...(fields.modalKind !== undefined && { modalKind: fields.modalKind }),
      ...(fields.notifyHook && { notifyHook: fields.notifyHook }),
      ...(options.imageBytes !== undefined && { imageBytes: options.imageBytes }),
      ...(options.buttons !== undefined && { buttons: options.buttons }),
      ...(options.imageUrl !== undefined && { imageUrl: options.imageUrl }),
    };
    this.tasks.set(id, task);
    this.order.push(id);
    return task;
  }

  /** createTask: a task positioned on its timeline by `status` (see TaskSeed). */
  createFromSeed(seed: TaskSeed): StoredTask {
    const status = seed.status ?? '';
    const outcome =
      seed.outcome ?? (status === 'SUCCESS' || status === 'FAILURE' || status === 'MODAL' ? status : undefined);
    const timeline = this.timelineFrom(seed, {
      ...(outcome === 'SUCCESS' || outcome === 'FAILURE' ? { outcome } : {}),
      ...(seed.failReason !== undefined ? { failReason: seed.failReason } : {}),
      ...(status === 'NOT_START' ? { queuedStatus: 'NOT_START' as const } : {}),
    });
    const now = this.clockNow();
    const modal = outcome === 'MODAL';
    const startedAt = modal
      ? null
      : POSITIONED.has(status)
        ? startForStatus(now, timeline, status, seed.progress)
        : now;
    const prompt = seed.prompt ?? 'a red apple on a table --v 6.1';
    const task = this.create(
      {
        action: seed.action ?? 'IMAGINE',
        prompt,
        description: `/imagine ${prompt}`,
        startedAt,
        ...(seed.state !== undefined && { state: seed.state }),
        ...(seed.notifyHook !== undefined && { notifyHook: seed.notifyHook }),
        ...(modal && { modalKind: 'seed' }),
      },
      seed,
      seed.id ?? this.newId(),
      timeline,
    );
    const pinned: Record<string, unknown> = {};
    if (!POSITIONED.has(status)) pinned.status = status;
    if (seed.progress !== undefined && status !== 'IN_PROGRESS') pinned.progress = seed.progress;
    if (Object.keys(pinned).length > 0) task.patch = pinned;
    return task;
  }

  addRaw(json: Record<string, unknown>): StoredTask {
    const id = json.id === undefined || json.id === null ? this.newId() : String(json.id);
    const task = this.create(
      {
        action: String(json.action ?? ''),
        prompt: String(json.prompt ?? ''),
        description: '',
        startedAt: this.clockNow(),
      },
      {},
      id,
    );
    task.raw = json;
    task.unknownForMs = 0;
    return task;
  }

  upscaleChildOf(parentId: string, customId: string): StoredTask | undefined {
    const childId = this.upscaleChildren.get(`${parentId}|${customId}`);
    return childId === undefined ? undefined : this.tasks.get(childId);
  }

  rememberUpscale(parentId: string, customId: string, childId: string): void {
    this.upscaleChildren.set(`${parentId}|${customId}`, childId);
  }

  /** Newest first, at most `limit` (FORK /task/list serves the latest 100). */
  latest(limit: number): StoredTask[] {
    const out: StoredTask[] = [];
    for (let i = this.order.length - 1; i >= 0 && out.length < limit; i--) {
      const task = this.tasks.get(this.order[i] as string);
      if (task) out.push(task);
    }
    return out;
  }
}
