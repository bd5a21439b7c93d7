// The JSON a stored task is served as now: the proxy's own view in the dialect's shape, new-api's
// aggregated row over it, a raw task as it was given; test patches go on top of each.
import type { DialectProfile } from './dialects/index.js';
import { aggregatorView, upstreamView, type StoredTask } from './task-view.js';

type Json = Record<string, unknown>;

export interface ServedJson {
  /** The upstream proxy's JSON at a time, patches applied (what a notify hook posts). */
  upstreamAt(task: StoredTask, at: number): Json;
  /** The row the flavor serves now (lists, and new-api's own answer to a submit). */
  servedNow(task: StoredTask): Json;
  /** What /fetch answers now. */
  fetchedNow(task: StoredTask): Json;
  /** What list-by-condition answers now for the task's id. */
  rowsNow(task: StoredTask): Json[];
  /** True while the task is still unknown to the server (unknownForMs after its submit). */
  hiddenNow(task: StoredTask): boolean;
}

/** `baseUrl` is read at each call: it is known only once the server listens. */
export function servedJson(
  profile: DialectProfile,
  now: () => number,
  refreshMs: number,
  baseUrl: () => string,
): ServedJson {
  /** The proxy's own JSON of the task, as the dialect serialises it, before patches. */
  const proxyJson = (task: StoredTask, at: number): Json =>
    profile.shapeUpstream(upstreamView(task, at, baseUrl(), profile.successButtons), task, baseUrl());
  const upstreamAt = (task: StoredTask, at: number): Json =>
    task.raw ? { ...task.raw, ...task.patch } : { ...proxyJson(task, at), ...task.patch };
  const servedNow = (task: StoredTask): Json => {
    if (task.raw) return { ...task.raw, ...task.patch };
    const laterRow = task.modalRowAt === undefined ? undefined : { insertedAt: task.modalRowAt, action: 'MODAL' };
    const view =
      profile.flavor === 'aggregator'
        ? aggregatorView(task, now(), baseUrl(), refreshMs, { laterRow, upstream: proxyJson })
        : proxyJson(task, now());
    return task.patch ? { ...view, ...task.patch } : view;
  };
  /** new-api after a modal: /fetch's First() finds the older, frozen row; list-by-condition returns both. */
  const fetchedNow = (task: StoredTask): Json =>
    task.staleRow ? { ...task.staleRow, ...task.patch } : servedNow(task);
  const rowsNow = (task: StoredTask): Json[] =>
    task.staleRow ? [fetchedNow(task), servedNow(task)] : [servedNow(task)];
  const hiddenNow = (task: StoredTask) => task.unknownForMs > 0 && now() - task.submitTime < task.unknownForMs;
  return { upstreamAt, servedNow, fetchedNow, rowsNow, hiddenNow };
}
