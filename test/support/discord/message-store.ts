// Messages per channel, with attachments and every revision. Edits replace the stored object, so a
// reference a test holds keeps showing the version it was taken from.
import type { Clock } from '../../../src/clock.js';
import { FLAG_EPHEMERAL, FLAG_IS_COMPONENTS_V2, FLAG_LOADING, isObject } from './validate-fields.js';
import type { SnowflakeFactory } from './snowflake.js';
import type {
  AttachmentUpload,
  JsonObject,
  MessageAuthor,
  StoredAttachment,
  StoredMessage,
  UploadedFile,
} from './types.js';

const TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
};

/** What Discord reports for an upload it recognises by name; null for anything else. */
function contentTypeOfName(filename: string): string | null {
  return TYPES_BY_EXTENSION[filename.split('.').pop()?.toLowerCase() ?? ''] ?? null;
}

export interface MessageMeta {
  author: MessageAuthor;
  type: number;
  flags?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: JsonObject;
}

// Flags a client may set on create/edit; others (crossposted, has thread, …) are Discord's to set.
const SETTABLE_FLAGS = (1 << 2) | (1 << 12) | (1 << 13) | FLAG_IS_COMPONENTS_V2;

const asArray = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

export class MessageStore {
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly revisions = new Map<string, StoredMessage[]>();
  private readonly attachments = new Map<string, StoredAttachment>();

  constructor(
    private readonly ids: SnowflakeFactory,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {}

  list(channelId: string): StoredMessage[] {
    return [...(this.byChannel.get(channelId) ?? [])];
  }

  get(channelId: string, messageId: string): StoredMessage | undefined {
    return this.byChannel.get(channelId)?.find((m) => m.id === messageId);
  }

  find(messageId: string): StoredMessage | undefined {
    for (const list of this.byChannel.values()) {
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  /** A message still in the channel from this author with this nonce, created at or after `notBefore` (ms). */
  findByNonce(
    channelId: string,
    authorId: string,
    nonce: string | number,
    notBefore: number,
  ): StoredMessage | undefined {
    return this.byChannel
      .get(channelId)
      ?.find(
        (m) =>
          m.author.id === authorId &&
          m.nonce !== undefined &&
          String(m.nonce) === String(nonce) &&
          Date.parse(m.timestamp) >= notBefore,
      );
  }

  /** Every version of a message, oldest first (kept after deletion). */
  history(messageId: string): StoredMessage[] {
    return [...(this.revisions.get(messageId) ?? [])];
  }

  attachment(attachmentId: string): StoredAttachment | undefined {
    return this.attachments.get(attachmentId);
  }

  /**
   * A file a member attached to a command, as the Discord client uploads it: on the CDN under
   * ephemeral-attachments, with the signed query (ex, is, hm) Discord adds to every CDN link.
   */
  addCommandAttachment(channelId: string, upload: AttachmentUpload): StoredAttachment {
    const id = this.ids.next();
    const path = `ephemeral-attachments/${channelId}/${id}/${encodeURIComponent(upload.filename)}`;
    const query = `?ex=${'6'.repeat(8)}&is=${'5'.repeat(8)}&hm=${'ab'.repeat(32)}&`;
    const attachment: StoredAttachment = {
      id,
      filename: upload.filename,
      size: upload.bytes.length,
      content_type: upload.contentType === undefined ? contentTypeOfName(upload.filename) : upload.contentType,
      url: `${this.origin()}/cdn/${path}${query}`,
      proxy_url: `${this.origin()}/media/${path}${query}`,
      bytes: upload.bytes,
      downloads: 0,
      ...(upload.cdnStatus !== undefined && { cdnStatus: upload.cdnStatus }),
    };
    this.attachments.set(id, attachment);
    return attachment;
  }

  create(channelId: string, body: JsonObject, files: UploadedFile[], meta: MessageMeta): StoredMessage {
    const id = this.ids.next();
    const attachments = this.resolveAttachments(channelId, body, files, []);
    const message: StoredMessage = {
      id,
      channel_id: channelId,
      type: meta.type,
      author: meta.author,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: this.linkAttachments(asArray(body.embeds), attachments),
      components: this.linkAttachments(asArray(body.components), attachments),
      attachments,
      flags: ((typeof body.flags === 'number' ? body.flags : 0) & SETTABLE_FLAGS) | (meta.flags ?? 0),
      timestamp: new Date(this.clock.now()).toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      ...(meta.webhookId ? { webhook_id: meta.webhookId } : {}),
      ...(meta.applicationId ? { application_id: meta.applicationId } : {}),
      ...(meta.interactionMetadata ? { interaction_metadata: meta.interactionMetadata } : {}),
      ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
    };
    const list = this.byChannel.get(channelId) ?? [];
    list.push(message);
    this.byChannel.set(channelId, list);
    this.revisions.set(id, [message]);
    return message;
  }

  /** Applies an edit body (only the fields present) and returns the new version. */
  edit(message: StoredMessage, body: JsonObject, files: UploadedFile[]): StoredMessage {
    const attachments =
      'attachments' in body || files.length > 0
        ? this.resolveAttachments(message.channel_id, body, files, message.attachments)
        : message.attachments;
    const wasLoading = (message.flags & FLAG_LOADING) !== 0;
    // Ephemeral and V2 stick once set; completing a deferred reply clears LOADING.
    const sticky = message.flags & (FLAG_EPHEMERAL | FLAG_IS_COMPONENTS_V2);
    const flags =
      'flags' in body && typeof body.flags === 'number'
        ? (body.flags & SETTABLE_FLAGS) | sticky
        : message.flags & ~FLAG_LOADING;
    const next: StoredMessage = {
      ...message,
      content: 'content' in body ? (typeof body.content === 'string' ? body.content : '') : message.content,
      embeds: this.linkAttachments('embeds' in body ? asArray(body.embeds) : message.embeds, attachments),
      components: this.linkAttachments(
        'components' in body ? asArray(body.components) : message.components,
        attachments,
      ),
      attachments,
      flags: flags & ~FLAG_LOADING,
      // Discord does not mark the completion of a deferred reply as an edit.
      edited_timestamp: wasLoading ? message.edited_timestamp : new Date(this.clock.now()).toISOString(),
    };
    const list = this.byChannel.get(message.channel_id) ?? [];
    const index = list.findIndex((m) => m.id === message.id);
    if (index !== -1) list[index] = next;
    this.revisions.get(message.id)?.push(next);
    return next;
  }

  delete(channelId: string, messageId: string): StoredMessage | undefined {
    const list = this.byChannel.get(channelId);
    const index = list?.findIndex((m) => m.id === messageId) ?? -1;
    if (!list || index === -1) return undefined;
    const [removed] = list.splice(index, 1);
    return removed;
  }

  /**
   * Discord's attachment rules: `attachments: [{id}]` lists what to keep (existing ids) and which
   * uploaded `files[n]` to add (id = n); without the list, existing ones stay and all files are added.
   */
  private resolveAttachments(
    channelId: string,
    body: JsonObject,
    files: UploadedFile[],
    existing: StoredAttachment[],
  ): StoredAttachment[] {
    const listed = Array.isArray(body.attachments) ? body.attachments.filter(isObject) : null;
    const kept = listed ? existing.filter((a) => listed.some((l) => String(l.id) === a.id)) : [...existing];
    const added = files.map((file, position) => {
      const index = /\[(\d+)\]$/.exec(file.field)?.[1] ?? String(position);
      const entry = listed?.find((l) => String(l.id) === index);
      return this.storeAttachment(channelId, file, entry);
    });
    return [...kept, ...added];
  }

  private storeAttachment(channelId: string, file: UploadedFile, entry: JsonObject | undefined): StoredAttachment {
    const id = this.ids.next();
    const filename = typeof entry?.filename === 'string' ? entry.filename : file.filename;
    const path = `attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: StoredAttachment = {
      id,
      filename,
      size: file.bytes.length,
      content_type: file.contentType,
      url: `${this.origin()}/cdn/${path}`,
      proxy_url: `${this.origin()}/media/${path}`,
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
      bytes: file.bytes,
    };
    this.attachments.set(id, attachment);
    return attachment;
  }

  /** Rewrites `attachment://name` urls (embeds, V2 media) to the stored attachment's urls, as Discord does. */
  private linkAttachments(items: JsonObject[], attachments: StoredAttachment[]): JsonObject[] {
    const link = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(link);
      if (!isObject(value)) return value;
      const out: JsonObject = {};
      for (const [key, inner] of Object.entries(value)) out[key] = link(inner);
      for (const key of ['url', 'icon_url']) {
        const url = value[key];
        if (typeof url !== 'string' || !url.startsWith('attachment://')) continue;
        const match = attachments.find((a) => a.filename === url.slice('attachment://'.length));
        if (match) Object.assign(out, { [key]: match.url, [`proxy_${key}`]: match.proxy_url });
      }
      return out;
    };
    return items.map((item) => link(item) as JsonObject);
  }
}

/** A message as Discord returns it: attachments without their bytes. */
export function messageWire(message: StoredMessage): JsonObject {
  return {
    ...message,
    attachments: message.attachments.map(({ bytes: _bytes, ...attachment }) => attachment),
  };
}

/** Discord refuses (50006) a message with nothing to show. */
export function bodyIsEmpty(body: JsonObject, files: UploadedFile[]): boolean {
  const content = typeof body.content === 'string' ? body.content : '';
  const stickers = Array.isArray(body.sticker_ids) ? body.sticker_ids.length : 0;
  return (
    content === '' &&
    asArray(body.embeds).length === 0 &&
    asArray(body.components).length === 0 &&
    files.length === 0 &&
    stickers === 0 &&
    !isObject(body.poll)
  );
}

export function editLeavesEmpty(message: StoredMessage, body: JsonObject, files: UploadedFile[]): boolean {
  const content = 'content' in body ? (typeof body.content === 'string' ? body.content : '') : message.content;
  const embeds = 'embeds' in body ? asArray(body.embeds).length : message.embeds.length;
  const components = 'components' in body ? asArray(body.components).length : message.components.length;
  const listed = Array.isArray(body.attachments) ? body.attachments.filter(isObject) : null;
  const kept = listed
    ? message.attachments.filter((a) => listed.some((l) => String(l.id) === a.id)).length
    : message.attachments.length;
  return content === '' && embeds === 0 && components === 0 && kept + files.length === 0;
}
