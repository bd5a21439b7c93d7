// Task ids end up inside a URL path (/mj/task/{id}/fetch), so only a strict alphabet is allowed:
// no slash, dot, percent or space can ever reach the request line.
import { MjApiError } from './errors.js';

export const MAX_TASK_ID_LENGTH = 64;

const TASK_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Trims `raw` and returns it when it is a plausible task id; throws MjApiError('invalid_id') otherwise. */
export function validateTaskId(raw: string): string {
  const id = typeof raw === 'string' ? raw.trim() : '';
  if (id === '') {
    throw new MjApiError('invalid_id', 'The task id is empty.');
  }
  if (id.length > MAX_TASK_ID_LENGTH) {
    throw new MjApiError('invalid_id', `The task id is too long (at most ${MAX_TASK_ID_LENGTH} characters).`);
  }
  if (!TASK_ID_PATTERN.test(id)) {
    throw new MjApiError('invalid_id', 'The task id may only contain letters, digits, "-" and "_".');
  }
  return id;
}

export function isValidTaskId(raw: string): boolean {
  const id = typeof raw === 'string' ? raw.trim() : '';
  return id !== '' && id.length <= MAX_TASK_ID_LENGTH && TASK_ID_PATTERN.test(id);
}
