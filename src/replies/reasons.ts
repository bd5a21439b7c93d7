// Why the bot refuses something, as data. Guards, the submit classifier and the handlers name a
// reason with its parameters; the sentence modules next to this file word it. Keeping the reasons
// here, below every module that produces them, lets one module word them all (and a second language
// plug in there) without the domain code knowing any sentence.

export type SubmitRoute = 'action' | 'modal' | 'imagine';

export type RejectReason =
  | 'unsupported_action' // new-api: unknown_action:<customId>
  | 'parent_not_ready' // the task is not SUCCESS yet (关联任务状态错误 / task_status_not_success)
  | 'already_submitted' // /submit/modal on a task that is no longer MODAL
  | 'task_not_found' // code 3, or new-api task_not_found
  | 'no_account' // code 3 无可用的账号实例: no Midjourney account free
  | 'queue_full' // code 23, FORK code 9 队列已满
  | 'account_limit' // FORK code 4 concurrency / queue / daily limits
  | 'banned_prompt' // code 24
  | 'invalid' // any other code 4
  | 'failure' // code 9
  | 'no_task_id' // an "accepted" code without a usable task id
  | 'unknown_code';

/** The API refused a submit: its reason plus what the member is told of the API's answer. */
export interface Rejection {
  reason: RejectReason;
  code: number;
  /** The API's own description, quoted (cut short) in some sentences. */
  description: string;
  /** Code 24: the word the API named, when it did. */
  bannedWord: string | null;
}

/** A guard said no: who may click, how often, how many tasks at once. */
export type GuardRefusal =
  | { reason: 'not_requester'; requesterId: string }
  /** A task started outside the bot: only the member who showed it (and allowed roles) may act. */
  | { reason: 'not_shower'; showerId: string }
  /** Too many banned prompts lately: no submits until `until` (bot clock, ms). */
  | { reason: 'paused'; count: number; until: number }
  | { reason: 'requester_unknown' }
  | { reason: 'role_required' }
  | { reason: 'rate_limited'; limitPerMinute: number; retryAfterMs: number }
  | { reason: 'running_cap'; max: number }
  | ServerRefusal;

/** A rule the server's admins set with /mjsettings said no (submit/server-rules.ts). */
export type ServerRefusal =
  /** The bot is not used in this channel; `allowedChannelIds` are where it is. */
  | { reason: 'channel_not_allowed'; allowedChannelIds: readonly string[] }
  /** Starting tasks is kept to these roles. */
  | { reason: 'start_role_required'; roleIds: readonly string[] }
  /** Buttons and forms are kept to these roles. */
  | { reason: 'click_role_required'; roleIds: readonly string[] }
  /** The member started `quota` tasks today; the count starts again at `resetsAt` (bot clock, ms). */
  | { reason: 'member_quota'; quota: number; resetsAt: number; wanted?: WantedPlaces }
  /** The server started `budget` tasks today. */
  | { reason: 'server_budget'; budget: number; resetsAt: number; wanted?: WantedPlaces };

/**
 * A submit that starts several tasks (🎉 Imagine all: four) where the limit has some places left, but
 * fewer: absent when none are left (then the limit is simply used up).
 */
export interface WantedPlaces {
  tasks: number;
  left: number;
}

/** A permission the bot needs in the updates channel, by discord.js's flag name (worded as Discord's own settings name it). */
export type ChannelPermission = 'ViewChannel' | 'SendMessages' | 'EmbedLinks' | 'AttachFiles' | 'ReadMessageHistory';

/** Where a task is shown: a channel, and the message when it is known. */
export interface Place {
  guildId: string | null;
  channelId: string;
  messageId: string | null;
}

/** Everything a handler can refuse before or instead of a submit. */
export type Refusal =
  | GuardRefusal
  /** The same button of the same message was just used: nothing new is submitted. */
  | {
      reason: 'repeat_click';
      userId: string;
      at: number;
      /** Where the first click's task is shown; null when it has no message (yet). */
      place: Place | null;
      /** The first click's task; null when its submit got no answer (a timeout). */
      taskId: string | null;
    }
  | { reason: 'no_task_id' }
  | { reason: 'button_not_on_task' }
  | { reason: 'vary_region' }
  | { reason: 'bookmark' }
  | { reason: 'custom_zoom_prompt'; prompt: string }
  | { reason: 'empty_prompt' }
  | { reason: 'form_expired' }
  | { reason: 'unknown_command' }
  | { reason: 'unknown_button' }
  | { reason: 'unknown_form' }
  /** The database refused a write (full disk, read-only) before anything was paid for. */
  | { reason: 'store_unavailable' }
  /** The submit was paid for, but the bot could not save the task, so it cannot follow it. */
  | { reason: 'store_unavailable_after_submit'; label: string; taskId: string }
  | { reason: 'server_only' }
  /** ALLOWED_GUILD_IDS does not name this server. */
  | { reason: 'guild_not_allowed' }
  /** Direct messages: the bot works in servers only. */
  | { reason: 'dm_not_supported' }
  | { reason: 'manage_server_only' }
  | { reason: 'channel_missing_permissions'; channelId: string; missing: readonly ChannelPermission[] }
  /** /mjsettings channels|roles add or remove without the channel or role to act on. */
  | { reason: 'settings_target_missing'; target: 'channel' | 'role' }
  /** A channel or role list of /mjsettings holds at most `max`. */
  | { reason: 'settings_list_full'; max: number }
  /** /mjsettings quota with neither number. */
  | { reason: 'settings_quota_missing' }
  /** /mjsettings reset needs confirm:true. */
  | { reason: 'settings_reset_unconfirmed' }
  /** /mjusage about another member, asked by a member without Manage Server. */
  | { reason: 'usage_others_manage_only' }
  /** /imagine, /describe, /blend: what the member gave cannot be used; nothing was paid for. */
  | { reason: 'new_task_input'; problem: NewTaskInputProblem };

/** Why a command's images or options cannot be used (worded in ./new-task.ts). */
export type NewTaskInputProblem =
  | { reason: 'attachment_not_image'; option: string; filename: string; contentType: string | null }
  | { reason: 'attachment_too_large'; option: string; filename: string; size: number; maxBytes: number }
  | { reason: 'attachment_not_on_cdn'; option: string; filename: string }
  /** Downloaded, but the bytes are no PNG, JPEG, WebP or GIF (or more than the limit after all). */
  | { reason: 'attachment_bytes_not_image'; option: string }
  | { reason: 'attachment_bytes_too_large'; option: string; maxBytes: number }
  | { reason: 'attachment_download_failed'; option: string }
  | { reason: 'image_url_invalid'; option: string }
  /** The Midjourney server cannot take this option from the bot (src/mj/capabilities.ts). */
  | { reason: 'option_unsupported'; option: string; server: string }
  | { reason: 'too_few_images'; given: number; min: number }
  /** /describe: an attachment or a link, exactly one. */
  | { reason: 'one_image_needed' }
  /** The Midjourney server has no such endpoint (/shorten on nzk, video where it has none). */
  | { reason: 'command_unsupported'; command: string; server: string }
  /** Describe's 🔄 done by the bot: the task's image (its imageUrl) is missing or cannot be downloaded. */
  | { reason: 'task_image_unavailable' };
