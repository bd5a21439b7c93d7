// A scene's recorded Discord messages as a Discord-like page (dark theme): author line with the APP
// tag, "used /command" above an interaction reply, content markdown, attached images, embeds with
// their colour bar, fields and image, button rows, "Only you can see this" under ephemeral replies,
// and a pop-up form over the channel. Pure: images come in as data URIs (imageSrc).
import type { JsonObject, StoredMessage } from '../../test/support/discord/index.js';
import { escapeHtml, inline, markdown, type MarkdownNames } from './markdown.js';
import { PAGE_CSS } from './page-css.js';

const FLAG_EPHEMERAL = 64;

export interface PageContext {
  names: MarkdownNames;
  /** A data: URI for an image URL the page shows (embed images), or null to leave it out. */
  imageSrc(url: string): string | null;
  /** "Today at 16:05" */
  time: string;
  /** Language of the page (lang attribute), e.g. "en" or "zh-CN". */
  lang?: string;
}

const BUTTON_CLASS: Readonly<Record<number, string>> = {
  1: 'primary',
  2: 'secondary',
  3: 'success',
  4: 'danger',
  5: 'secondary link',
};

const avatar = (text: string, hue: number) =>
  `<div class="avatar" style="background:hsl(${hue} 55% 50%)">${escapeHtml(text.slice(0, 1).toUpperCase())}</div>`;

function button(b: JsonObject): string {
  const style = typeof b.style === 'number' ? b.style : 2;
  const emoji = (b.emoji as { name?: string } | undefined)?.name;
  const label = typeof b.label === 'string' ? b.label : '';
  const parts = [
    emoji ? `<span class="emoji">${escapeHtml(emoji)}</span>` : '',
    label !== '' ? `<span>${escapeHtml(label)}</span>` : '',
    style === 5 ? '<span class="external">↗</span>' : '',
  ];
  const disabled = b.disabled === true ? ' disabled' : '';
  return `<div class="button ${BUTTON_CLASS[style] ?? 'secondary'}${disabled}">${parts.join('')}</div>`;
}

function rows(components: JsonObject[]): string {
  if (components.length === 0) return '';
  const html = components.map(
    (row) => `<div class="row">${((row.components as JsonObject[] | undefined) ?? []).map(button).join('')}</div>`,
  );
  return `<div class="rows">${html.join('')}</div>`;
}

function embed(e: JsonObject, ctx: PageContext): string {
  const color = typeof e.color === 'number' ? `#${e.color.toString(16).padStart(6, '0')}` : '#1e1f22';
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const parts: string[] = [];
  const author = text((e.author as JsonObject | undefined)?.name);
  if (author !== '') parts.push(`<div class="embed-author">${escapeHtml(author)}</div>`);
  if (text(e.title) !== '') parts.push(`<div class="embed-title">${inline(text(e.title), ctx.names)}</div>`);
  if (text(e.description) !== '')
    parts.push(`<div class="embed-description">${markdown(text(e.description), ctx.names)}</div>`);
  const fields = (e.fields as JsonObject[] | undefined) ?? [];
  if (fields.length > 0) {
    const cells = fields.map(
      (f) =>
        `<div class="field${f.inline === true ? ' inline' : ''}"><div class="field-name">${inline(text(f.name), ctx.names)}</div>` +
        `<div class="field-value">${markdown(text(f.value), ctx.names)}</div></div>`,
    );
    parts.push(`<div class="fields">${cells.join('')}</div>`);
  }
  const image = text((e.image as JsonObject | undefined)?.url);
  const src = image !== '' ? ctx.imageSrc(image) : null;
  if (src !== null) parts.push(`<img class="embed-image" src="${src}" alt="">`);
  const footer = text((e.footer as JsonObject | undefined)?.text);
  if (footer !== '') parts.push(`<div class="embed-footer">${escapeHtml(footer)}</div>`);
  return `<div class="embed" style="border-left-color:${color}">${parts.join('')}</div>`;
}

function attachments(message: StoredMessage): string {
  const images = message.attachments
    .filter((a) => (a.content_type ?? '').startsWith('image/'))
    .map(
      (a) =>
        `<img class="attachment" src="data:${a.content_type};base64,${Buffer.from(a.bytes).toString('base64')}" alt="">`,
    );
  return images.length > 0 ? `<div class="attachments">${images.join('')}</div>` : '';
}

/** "Tester used /imagine" above the reply to a slash command. */
function commandLine(message: StoredMessage, ctx: PageContext): string {
  const meta = message.interaction_metadata;
  if (!meta || message.type !== 20) return '';
  const user = (meta.user as { id?: string } | undefined)?.id ?? '';
  const name = ctx.names.user(user);
  return (
    `<div class="command-line"><span class="spine"></span>${avatar(name, 210).replace('avatar', 'avatar tiny')}` +
    `<span class="who">${escapeHtml(name)}</span> ${clientWords(ctx).used} <span class="command">/${escapeHtml(String(meta.name ?? ''))}</span></div>`
  );
}

/** Discord's own words around the bot's messages, in the page's language (what its client shows). */
const CLIENT_WORDS: Record<string, { used: string; onlyYou: string; dismiss: string }> = {
  en: { used: 'used', onlyYou: 'Only you can see this', dismiss: 'Dismiss message' },
  'zh-CN': { used: '使用了', onlyYou: '只有您可以看到这条消息', dismiss: '忽略消息' },
};
const clientWords = (ctx: PageContext) => CLIENT_WORDS[ctx.lang ?? 'en'] ?? CLIENT_WORDS.en!;

function messageHtml(message: StoredMessage, ctx: PageContext): string {
  const ephemeral = (message.flags & FLAG_EPHEMERAL) !== 0;
  const author = message.author.global_name ?? message.author.username;
  const body = [
    `<div class="author"><span class="name">${escapeHtml(author)}</span>` +
      `${message.author.bot ? '<span class="app">APP</span>' : ''}<span class="time">${escapeHtml(ctx.time)}</span></div>`,
    message.content !== '' ? `<div class="content">${markdown(message.content, ctx.names)}</div>` : '',
    attachments(message),
    ...message.embeds.map((e) => embed(e, ctx)),
    rows(message.components),
    ephemeral
      ? `<div class="ephemeral-note"><span class="eye">👁</span> ${clientWords(ctx).onlyYou} • <span class="dismiss">${clientWords(ctx).dismiss}</span></div>`
      : '',
  ];
  return (
    `<div class="message${ephemeral ? ' ephemeral' : ''}">${commandLine(message, ctx)}` +
    `<div class="message-main">${avatar(author, 265)}<div class="message-body">${body.join('')}</div></div></div>`
  );
}

function modalHtml(modal: JsonObject, ctx: PageContext): string {
  const inputs = ((modal.components as JsonObject[] | undefined) ?? []).map((c) => {
    // A label (type 18) wraps its input; an action row (type 1) holds one.
    const input = (c.component as JsonObject | undefined) ?? ((c.components as JsonObject[] | undefined) ?? [])[0];
    const label = typeof c.label === 'string' ? c.label : typeof input?.label === 'string' ? input.label : '';
    const description = typeof c.description === 'string' ? c.description : '';
    const value = typeof input?.value === 'string' ? input.value : '';
    const placeholder = typeof input?.placeholder === 'string' ? input.placeholder : '';
    return (
      `<div class="modal-field"><div class="modal-label">${escapeHtml(label)}${input?.required === true ? '<span class="required">*</span>' : ''}</div>` +
      (description !== '' ? `<div class="modal-description">${inline(description, ctx.names)}</div>` : '') +
      `<div class="modal-input${input?.style === 2 ? ' paragraph' : ''}">${value !== '' ? escapeHtml(value) : `<span class="placeholder">${escapeHtml(placeholder)}</span>`}</div></div>`
    );
  });
  return (
    `<div class="backdrop"><div class="modal"><div class="modal-head">${avatar('m', 265).replace('avatar', 'avatar small')}` +
    `<div class="modal-title">${escapeHtml(String(modal.title ?? ''))}</div><div class="close">✕</div></div>` +
    `<div class="modal-content">${inputs.join('')}</div>` +
    `<div class="modal-footer"><span class="cancel">Cancel</span><div class="button primary">Submit</div></div></div></div>`
  );
}

/** The whole page: the channel with the scene's messages, and its form on top when there is one. */
export function scenePage(view: { messages: StoredMessage[]; modal?: JsonObject }, ctx: PageContext): string {
  const messages = view.messages.map((m) => messageHtml(m, ctx)).join('');
  return (
    `<!doctype html><html lang="${escapeHtml(ctx.lang ?? 'en')}"><head><meta charset="utf-8"><style>${PAGE_CSS}</style></head>` +
    `<body><div id="shot" class="${view.modal ? 'with-modal' : ''}"><div class="channel">${messages}</div>` +
    `${view.modal ? modalHtml(view.modal, ctx) : ''}</div></body></html>`
  );
}
