// Checks every route that writes a message applies: body shape, Discord's form rules, upload size.
import type { ApiRequest } from './core.js';
import { httpErrors } from './http-errors.js';
import type { JsonObject, UploadedFile } from './types.js';
import { messagePayloadViolations } from './validate.js';
import { isObject } from './validate-fields.js';

export function objectBody(request: ApiRequest): JsonObject {
  if (request.body === undefined || request.body === null) return {};
  if (!isObject(request.body)) {
    throw httpErrors.invalidFormBody([
      { path: [], code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' },
    ]);
  }
  return request.body;
}

export function checkMessageInput(
  body: JsonObject,
  files: UploadedFile[],
  options: { flags?: number; prefix?: Array<string | number>; maxUploadBytes: number },
): void {
  const violations = messagePayloadViolations(body, options.flags ?? 0);
  if (violations.length) throw httpErrors.invalidFormBody(violations, options.prefix);
  if (files.some((file) => file.bytes.length > options.maxUploadBytes)) throw httpErrors.entityTooLarge();
  if (files.length > 10) {
    throw httpErrors.invalidFormBody(
      [{ path: ['attachments'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }],
      options.prefix,
    );
  }
}
