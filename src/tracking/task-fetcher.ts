// Fetches many tasks at once: list-by-condition in chunks when the API has it, else one GET per task,
// never more than `concurrency` requests at a time. Each id gets its own result, so one failing
// request never drops the others.
import type { EventLog } from '../log.js';
import type { MjApi } from '../mj/api.js';
import { isMjApiError } from '../mj/errors.js';
import type { MjTask } from '../mj/schema.js';
import { createSemaphore } from './semaphore.js';

export type FetchResult =
  | { kind: 'found'; task: MjTask }
  /** The API does not know the id (absent from the list, 404 / 204 / task_no_found). */
  | { kind: 'unknown' }
  /** The id can never be fetched (MjApiError 'invalid_id'). */
  | { kind: 'invalid' }
  | { kind: 'failed'; error: unknown };

export interface TaskFetcher {
  fetch(ids: readonly string[]): Promise<Map<string, FetchResult>>;
  /** False once list-by-condition answered 'unsupported' (remembered for the session). */
  batchSupported(): boolean;
}

export function createTaskFetcher(
  mj: MjApi,
  options: { batchSize: number; concurrency: number; log: EventLog },
): TaskFetcher {
  const requests = createSemaphore(options.concurrency);
  let batch = true;

  const fetchOne = async (id: string): Promise<FetchResult> => {
    try {
      return { kind: 'found', task: await requests.run(() => mj.fetchTask(id)) };
    } catch (error) {
      if (isMjApiError(error) && error.kind === 'not_found') return { kind: 'unknown' };
      if (isMjApiError(error) && error.kind === 'invalid_id') return { kind: 'invalid' };
      return { kind: 'failed', error };
    }
  };

  const fetchEach = async (ids: readonly string[], out: Map<string, FetchResult>) => {
    await Promise.all(ids.map(async (id) => out.set(id, await fetchOne(id))));
  };

  const fetchChunk = async (ids: readonly string[], out: Map<string, FetchResult>) => {
    if (!batch) return fetchEach(ids, out);
    try {
      const tasks = await requests.run(() => mj.fetchTasks([...ids]));
      const byId = new Map(tasks.map((t) => [t.id, t]));
      for (const id of ids) {
        const task = byId.get(id);
        out.set(id, task ? { kind: 'found', task } : { kind: 'unknown' });
      }
    } catch (error) {
      if (isMjApiError(error) && error.kind === 'unsupported') {
        if (batch)
          options.log.info(
            { event: 'mj.list_unsupported' },
            'list-by-condition is not supported; fetching tasks one by one',
          );
        batch = false;
        return fetchEach(ids, out);
      }
      for (const id of ids) out.set(id, { kind: 'failed', error });
    }
  };

  return {
    async fetch(ids) {
      const out = new Map<string, FetchResult>();
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += options.batchSize) chunks.push(ids.slice(i, i + options.batchSize));
      await Promise.all(chunks.map((chunk) => fetchChunk(chunk, out)));
      return out;
    },
    batchSupported: () => batch,
  };
}
