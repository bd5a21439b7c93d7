// Discord's JSON error bodies ({message, code, errors?}) and the status codes they come with.
import type { JsonObject } from './types.js';

export interface Violation {
  path: Array<string | number>;
  code: string;
  message: string;
}

export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

const fail = (status: number, code: number, message: string) => new DiscordHttpError(status, { message, code });

export const httpErrors = {
  unauthorized: () => fail(401, 0, '401: Unauthorized'),
  notFound: () => fail(404, 0, '404: Not Found'),
  methodNotAllowed: () => fail(405, 0, '405: Method Not Allowed'),
  unknownApplication: () => fail(404, 10002, 'Unknown Application'),
  unknownChannel: () => fail(404, 10003, 'Unknown Channel'),
  unknownGuild: () => fail(404, 10004, 'Unknown Guild'),
  unknownMember: () => fail(404, 10007, 'Unknown Member'),
  unknownMessage: () => fail(404, 10008, 'Unknown Message'),
  unknownUser: () => fail(404, 10013, 'Unknown User'),
  unknownWebhook: () => fail(404, 10015, 'Unknown Webhook'),
  unknownCommand: () => fail(404, 10063, 'Unknown application command'),
  unknownInteraction: () => fail(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => fail(400, 40060, 'Interaction has already been acknowledged.'),
  entityTooLarge: () => fail(413, 40005, 'Request entity too large'),
  missingAccess: () => fail(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () => fail(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => fail(400, 50006, 'Cannot send an empty message'),
  missingPermissions: () => fail(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: () => fail(401, 50027, 'Invalid Webhook Token'),
  invalidJson: () => fail(400, 50109, 'The request body contains invalid JSON.'),
  invalidFormBody: (violations: Violation[], prefix: Array<string | number> = []) =>
    new DiscordHttpError(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: nestErrors(violations.map((v) => ({ ...v, path: [...prefix, ...v.path] }))),
    }),
};

/** Turns flat violations into Discord's nested `errors` tree (`{a: {"0": {b: {_errors: [...]}}}}`). */
export function nestErrors(violations: Violation[]): JsonObject {
  const root: JsonObject = {};
  for (const violation of violations) {
    let node = root;
    for (const key of violation.path) {
      const name = String(key);
      const child = node[name];
      if (typeof child === 'object' && child !== null) node = child as JsonObject;
      else node = node[name] = {};
    }
    const list = (node._errors as Array<{ code: string; message: string }> | undefined) ?? [];
    list.push({ code: violation.code, message: violation.message });
    node._errors = list;
  }
  return root;
}
