// The one seam every byte the bot sends to Discord passes: discord.js's REST client hands each
// request (interaction answers, webhook edits, channel messages, multipart uploads, command
// registration) to `makeRequest`. Redacting the body here means no reply path can skip it, whoever
// builds the text. It is the net, not the only redaction: a truncation can cut a secret so that too
// little is left to recognise here, so the texts the renderer receives are redacted before they are
// cut (RenderOptions.redact), and this seam also removes a secret's start left before an ellipsis
// or at the end of a field. Headers (the Authorization carries the bot token on purpose) and the URL
// are left as they are; file contents are never rewritten, only their names.
import { DefaultRestOptions, type RESTOptions } from 'discord.js';
import type { Redactor } from '../redact.js';

export type MakeRequest = RESTOptions['makeRequest'];
type RequestBody = Parameters<MakeRequest>[1]['body'];

/** `send` (discord.js's own undici request by default, which keeps the bot's agent) with every request body redacted. */
export function redactingMakeRequest(
  redactor: Redactor,
  send: MakeRequest = DefaultRestOptions.makeRequest,
): MakeRequest {
  return (url, init) => send(url, { ...init, body: redactRequestBody(init.body, redactor) });
}

/** JSON bodies and every text part of a multipart body (payload_json included) redacted; binary bodies as they are. */
export function redactRequestBody(body: RequestBody, redactor: Redactor): RequestBody {
  if (typeof body === 'string') return redactor.json(body);
  if (body instanceof FormData) return redactForm(body, redactor) as RequestBody;
  return body;
}

function redactForm(form: FormData, redactor: Redactor): FormData {
  const out = new FormData();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') out.append(name, redactor.json(value));
    else out.append(name, value, redactor.text(value.name));
  }
  return out;
}
