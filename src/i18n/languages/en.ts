// Every sentence a member reads, in English: the reference language. Keys are flat and say where the
// sentence is used; `{{name}}` is a placeholder the caller fills (typed from this file, see index.ts).
// Plural forms are `<key>_one` / `<key>_other` (i18next with Intl.PluralRules; each language has the
// forms its own rules need). A sentence added here must be added to every other language file: the
// compiler and test/unit/i18n-parity.test.ts refuse a missing key or placeholder.
// API texts (failReason, the API's own messages) are never here: they are quoted verbatim.

export const en = {
  // Units, used inside sentences.
  'unit.second_one': '{{count}} second',
  'unit.second_other': '{{count}} seconds',
  'unit.prompt_one': '{{count}} prompt',
  'unit.prompt_other': '{{count}} prompts',
  'unit.time_one': '{{count}} time',
  'unit.time_other': '{{count}} times',
  'unit.task_one': '{{count}} task',
  'unit.task_other': '{{count}} tasks',
  'unit.more_tasks_one': ' (and {{count}} more task)',
  'unit.more_tasks_other': ' (and {{count}} more tasks)',

  // Lists inside sentences: "a, b and c", "a or 6 more".
  'list.separator': ', ',
  'list.and': '{{items}} and {{last}}',
  'list.or': '{{items}} or {{last}}',
  'list.and_more_one': '{{items}} and {{count}} more',
  'list.and_more_other': '{{items}} and {{count}} more',
  'list.or_more_one': '{{items}} or {{count}} more',
  'list.or_more_other': '{{items}} or {{count}} more',
  // Midjourney API failures (replies/mj-error.ts).
  'mj.api_said': ' (the API said: `{{text}}`)',
  'mj.quota_exhausted':
    "🪙 The bot's Midjourney API account is out of credit{{said}}. Nothing was submitted; an admin must top it up.",
  'mj.token_expired': "🔒 The bot's Midjourney API key has expired{{said}}. An admin must renew MJ_API_KEY.",
  'mj.model_not_allowed':
    "🔒 The bot's Midjourney API key may not use this action{{said}}. Nothing was submitted; an admin can allow it for the key.",
  'mj.forbidden':
    '🔒 The Midjourney API refused the bot{{said}}. An admin should check the API account (or run `npm run doctor`).',
  'mj.key_rejected':
    "🔒 The Midjourney API rejected the bot's API key. An admin should check MJ_API_KEY and MJ_AUTH_HEADER (or run `npm run doctor`).",
  'mj.invalid_id':
    '⚠️ That is not a valid task ID. A task ID looks like `1730621826053455` (letters, digits, - or _; at most 64 characters).',
  'mj.not_found':
    '🔍 No task{{id}} was found. Check the ID: a task created with another API key is not visible to this bot.',
  'mj.rate_limited': '⏳ The Midjourney API is rate limiting the bot. Try again in {{seconds}}.',
  'mj.timeout_within': ' within {{seconds}}',
  'mj.timeout_in_time': ' in time',
  'mj.timeout': '⌛ The Midjourney API did not answer{{within}}. Try again in a minute.',
  'mj.busy':
    '⏳ Too many requests are waiting for the Midjourney API right now, so this one was not sent (nothing was charged). Try again in a minute.',
  'mj.busy_lookup':
    '⏳ Too many requests are waiting for the Midjourney API right now, so task{{id}} was not looked up. Try again in a minute.',
  'mj.network':
    '📡 The bot cannot reach the Midjourney API right now. Try again in a minute; if it lasts, tell an admin.',
  'mj.unsupported': '🚫 The Midjourney API does not support that request.',
  'mj.upstream': '💥 The Midjourney API gave an unusable answer: {{answer}}. Try again in a minute.',
  'mj.upstream_unknown': '💥 The Midjourney API gave an unusable answer. Try again in a minute.',
  'mj.answer_html': 'an HTML page (HTTP {{status}})',
  'mj.answer_malformed': 'malformed JSON (HTTP {{status}})',
  'mj.answer_empty': 'an empty body (HTTP {{status}})',
  'mj.answer_shape': 'JSON of an unexpected shape (HTTP {{status}})',
  'mj.answer_status': 'HTTP {{status}}',
  'mj.answer_status_said': 'HTTP {{status}}: {{said}}',
  'mj.oversized': '💥 The Midjourney API answered with an oversized body (over {{limit}}). Try again in a minute.',
  'mj.broken': '💥 The Midjourney API sent a broken HTTP response ({{code}}). Try again in a minute.',

  // Refusals (replies/refusals.ts).
  'refusal.not_requester': '🔒 Only <@{{requesterId}}>, who started this task, can use its buttons.',
  'refusal.not_shower':
    '🔒 This task was not started with this bot, so only <@{{showerId}}>, who showed it here, can use its buttons.',
  'refusal.paused':
    "⏸️ The API refused {{prompts}} of yours as banned recently, so your submits are paused until <t:{{until}}:f> (<t:{{until}}:R>). Nothing was submitted. Too many banned prompts can get the bot's shared Midjourney account blocked.",
  'refusal.requester_unknown':
    '🔒 The bot cannot tell who started this task, so only members with an allowed role can use its buttons.',
  'refusal.role_required': '🔒 Only members with an allowed role can use these buttons.',
  'refusal.rate_limited': '⏳ You can submit {{times}} per minute. Try again in {{seconds}}.',
  'refusal.running_cap': '⏳ You already have {{tasks}} running. Wait for one to finish, then try again.',
  'refusal.repeat_click': '🔁 Already submitted by <@{{userId}}> {{when}}, so nothing new was submitted{{where}}',
  'refusal.repeat_click_place': ' → {{place}}',
  'refusal.repeat_click_task': ' → task `{{taskId}}`',
  'refusal.repeat_click_unconfirmed':
    ' (the API never confirmed it, so it may still be running: wait a minute before trying again)',
  'refusal.no_task_id':
    '⚠️ This message does not carry a task ID, so its buttons cannot be used. Show the task again with /mjtask.',
  'refusal.button_not_on_task':
    '⚠️ This button no longer matches any button of the task. Show the task again with /mjtask.',
  'refusal.vary_region':
    "🖌️ Vary (Region) needs Midjourney's mask editor, which Discord cannot show to a bot. Nothing was submitted; use Vary (Subtle) or Vary (Strong), or the Midjourney website.",
  'refusal.bookmark':
    "❤️ Bookmarking only exists on Midjourney's own site and bot; this bot cannot do it. Nothing was submitted.",
  'refusal.custom_zoom_prompt':
    '⚠️ Custom Zoom needs `--zoom` with a value from 1 to 2 (e.g. `--zoom 1.5`). Nothing was submitted; press Custom Zoom again. Your prompt was:\n{{prompt}}',
  'refusal.empty_prompt': '⚠️ The prompt is empty. Nothing was submitted.',
  'refusal.form_expired': '⚠️ This form no longer carries what the bot needs. Press the button again.',
  'refusal.unknown_command': '⚠️ This command is not known to the bot any more.',
  'refusal.unknown_button': '⚠️ This button is not one the bot knows. It may come from an older version.',
  'refusal.unknown_form': '⚠️ This form is not one the bot knows any more.',
  'refusal.store_unavailable':
    '💾 The bot cannot save anything right now (its database is full or read-only), so it stopped before submitting: nothing was submitted. Please tell an admin.',
  'refusal.store_unavailable_after_submit':
    '💾 {{label}} was submitted as task `{{taskId}}`, but the bot cannot save right now (its database is full or read-only), so it cannot follow it. Use `/mjtask id:{{taskId}}` in a while, and please tell an admin.',
  'refusal.server_only': '⚠️ This command only works in a server.',
  'refusal.guild_not_allowed': '🚫 This bot is not set up to work in this server. Nothing was submitted.',
  'refusal.dm_not_supported':
    '🚫 This bot only works in servers, not in direct messages. Use it in a server channel where it is installed.',
  'refusal.manage_server_only':
    "🔒 Only members with the Manage Server permission can see or change this bot's settings.",
  'refusal.settings_channel_missing': '⚠️ Name the channel to add or remove (the `channel` option). Nothing changed.',
  'refusal.settings_role_missing': '⚠️ Name the role to add or remove (the `role` option). Nothing changed.',
  'refusal.settings_list_full': '⚠️ A list holds at most {{max}} entries. Remove one first. Nothing changed.',
  'refusal.settings_quota_missing':
    '⚠️ Give `member_per_day`, `server_per_day` or both (0 = no limit). Nothing changed.',
  'refusal.settings_reset_unconfirmed':
    '⚠️ Nothing was reset: run `/mjsettings reset confirm:True` to put every setting back to its default.',
  'refusal.usage_others_manage_only':
    "🔒 Only members with the Manage Server permission can see other members' usage. Run `/mjusage` alone for your own.",
  'refusal.reset_time': 'at <t:{{at}}:f> (<t:{{at}}:R>, midnight UTC)',
  'refusal.channel_not_allowed':
    '🚫 The admins keep this bot to {{channels}} in this server. Nothing was submitted; use it there.',
  'refusal.start_role_required':
    '🔒 In this server only members with {{roles}} can start tasks (a rule set by the admins). Nothing was submitted.',
  'refusal.click_role_required':
    '🔒 In this server only members with {{roles}} can use task buttons (a rule set by the admins). Nothing was submitted.',
  'refusal.member_quota':
    '📅 You have used your daily quota of {{tasks}} in this server (set by the admins). Nothing was submitted. It resets {{reset}}.',
  'refusal.server_budget':
    '📅 This server has used its daily budget of {{tasks}} (set by the admins). Nothing was submitted. It resets {{reset}}.',
  'refusal.member_quota_short':
    '📅 This starts {{wanted}}, but only {{left}} remain of your daily quota of {{tasks}} in this server (set by the admins). Nothing was submitted. It resets {{reset}}.',
  'refusal.server_budget_short':
    "📅 This starts {{wanted}}, but only {{left}} remain of this server's daily budget of {{tasks}} (set by the admins). Nothing was submitted. It resets {{reset}}.",
  'refusal.channel_missing_permissions':
    '⚠️ I cannot use <#{{channelId}}>: I am missing {{missing}} there. Grant them and try again.',
  // The permissions it names, as Discord's channel settings name them.
  'permission.ViewChannel': 'View Channel',
  'permission.SendMessages': 'Send Messages',
  'permission.EmbedLinks': 'Embed Links',
  'permission.AttachFiles': 'Attach Files',
  'permission.ReadMessageHistory': 'Read Message History',

  // Images and options of a new task that cannot be used (replies/new-task.ts).
  'input.types': 'PNG, JPEG, WebP or GIF',
  'input.not_an_image': 'not an image',
  'input.attachment_not_image':
    '⚠️ {{file}} ({{option}}) is {{what}}; Midjourney takes {{types}} images. Nothing was submitted.',
  'input.attachment_too_large':
    '⚠️ {{file}} ({{option}}) is {{size}}; images up to {{max}} are accepted. Nothing was submitted.',
  'input.attachment_not_on_cdn':
    '⚠️ {{file}} ({{option}}) is not an upload on Discord, so the bot does not download it. Nothing was submitted.',
  'input.attachment_bytes_not_image':
    '⚠️ The file in {{option}} is not a {{types}} image, whatever its name says. Nothing was submitted.',
  'input.attachment_bytes_too_large': '⚠️ The image in {{option}} is larger than {{max}}. Nothing was submitted.',
  'input.attachment_download_failed':
    '⚠️ The bot could not download the image in {{option}} from Discord. Nothing was submitted; attach it again and retry.',
  'input.image_url_invalid': '⚠️ {{option}} must be an http or https link to a {{types}} image. Nothing was submitted.',
  'input.option_unsupported':
    '⚠️ This Midjourney server ({{server}}) does not let the bot choose {{option}}. Nothing was submitted; try again without it.',
  'input.one_image_needed':
    '⚠️ /describe needs one image: attach it in `image` or link it in `url`, not both. Nothing was submitted.',
  'input.too_few_images': '⚠️ Blend needs at least {{min}} images ({{given}} given). Nothing was submitted.',
  'input.command_unsupported':
    '🚫 This Midjourney server ({{server}}) has no {{command}}, so the bot cannot run it here. Nothing was submitted.',
  'input.task_image_unavailable':
    "⚠️ The bot could not get this task's image back from the Midjourney server, so it cannot describe it again. Nothing was submitted; run /describe with the image.",
  // A Shorten's result and its Show details (replies/shorten.ts).
  'shorten.details_button': 'Show details',
  'shorten.details_title': '🔎 What Midjourney read in the prompt of task `{{taskId}}`:',
  'shorten.important': '**Important:** {{tokens}}',
  'shorten.dropped': '**Changes little (can go):** {{tokens}}',
  'shorten.no_details': 'ℹ️ The Midjourney server gave no analysis of this prompt, only the shortened prompts.',
  // A submit's outcome (replies/submit.ts).
  'submit.api_said': ' (the API said: `{{text}}`)',
  'submit.unsupported_action': '🚫 This server cannot run {{label}}. Nothing was submitted.',
  'submit.parent_not_ready':
    '⚠️ The Midjourney API would not run {{label}} on this task{{api}}. Nothing was submitted.',
  'submit.already_submitted':
    'ℹ️ This prompt was already submitted (the task no longer waits for a prompt). Nothing new was submitted.',
  'submit.task_not_found':
    '🔍 The Midjourney API no longer knows this task (it may have expired). Nothing was submitted.',
  'submit.no_account':
    '⏳ No Midjourney account is available right now{{api}}. Nothing was submitted; try again in a few minutes.',
  'submit.queue_full': '🚦 The Midjourney queue is full. Nothing was submitted; try again in a few minutes.',
  'submit.account_limit':
    '🚦 The Midjourney account has reached a limit{{api}}. Nothing was submitted; try again later.',
  'submit.banned_word':
    '🚫 Midjourney refused the prompt: the word `{{word}}` is banned. Rephrase it and try again. Nothing was submitted.',
  'submit.banned_prompt':
    '🚫 Midjourney refused the prompt because it contains a banned word. Rephrase it and try again. Nothing was submitted.',
  'submit.invalid': '⚠️ The Midjourney API refused {{label}}{{api}}. Nothing was submitted.',
  'submit.failure': '💥 The Midjourney API could not submit {{label}}{{api}}. Try again in a minute.',
  'submit.no_task_id':
    '⚠️ The Midjourney API accepted {{label}} but did not say which task it started{{api}}. Check the updates channel, or try /mjtask later.',
  'submit.unknown_code': '⚠️ The Midjourney API gave an unexpected answer to {{label}} (code {{code}}){{api}}.',
  'submit.queue_position': ' — position {{position}} in the queue',
  'submit.accepted': '✅ {{label}} submitted{{queue}} — following it in {{place}}{{more}}',
  'submit.existing':
    'ℹ️ {{label}} was already done for this image, so nothing new was submitted. Showing it in {{place}}',
  'submit.follow_failed':
    '✅ {{label}} submitted as task `{{taskId}}`, but the bot could not post in <#{{channelId}}>. Use `/mjtask id:{{taskId}}` to see it.',
  'submit.no_new_task': '✅ {{label}} done. It does not start a new image, so there is nothing to follow.',
  'submit.prompt_not_applied_place': 'following it in {{place}}',
  'submit.prompt_not_applied_task': 'task `{{taskId}}`',
  'submit.prompt_not_applied':
    '⚠️ {{label}} started without waiting for a prompt, so your edited prompt could not apply: it runs with the original prompt — {{where}}',
  'submit.needs_prompt':
    '✏️ {{label}} needs a prompt first (Remix mode is on for this Midjourney account). Press **Edit prompt & submit**; nothing runs until you do.',

  // The commands' own answers (replies/commands.ts).
  'command.unexpected_failure':
    '⚠️ Something went wrong on the bot side. Nothing was charged twice; try again, and tell an admin if it keeps happening.',
  'command.task_shown_below': '🔎 Task `{{taskId}}` is posted below.',
  'command.already_followed_elsewhere':
    '👀 This task is already followed in another message; its result will be posted there.',
  'command.watch_not_saved':
    '💾 The bot cannot save right now (its database is full or read-only), so this message will not update by itself. Run /mjtask again later, and please tell an admin.',
  'command.watch_not_possible':
    '⚠️ I cannot post in this channel, so this message will not update by itself. Run /mjtask again later.',
  'command.updates_place_server': '<#{{channelId}}> (set with /mjupdates)',
  'command.updates_place_config': '<#{{channelId}}> (UPDATES_CHANNEL_ID)',
  'command.updates_place_origin': 'the channel where each task is started',
  'command.updates_shown': '📣 Tasks started with the bot are reported in {{place}}.',
  'command.updates_cleared': '📣 Done: each task is now reported in the channel where it was started.',
  'command.updates_set': '📣 Done: tasks started with the bot in this server are now reported in <#{{channelId}}>.',

  // The prompt form (replies/prompt-form.ts).
  'form.label_zoom': 'Custom Zoom',
  'form.label_remix': 'Remix',
  'form.title_zoom': 'Custom Zoom',
  'form.title_prompt': '{{label}}: edit the prompt',
  'form.input_label': 'Prompt',
  'form.zoom_placeholder': 'your prompt --ar 1:1 --zoom 1.5',
  'form.zoom_description': 'Keep --ar; set --zoom between 1 and 2 (e.g. --zoom 1.5).',
  'form.prompt_placeholder': 'Leave empty to keep the original prompt',
  'form.prompt_description': 'Change the prompt for the new images.',
  'form.embed_title': 'Prompt',
  'form.edit_prompt_button': '✏️ Edit prompt & submit',

  // ✉️ Seed (replies/seed.ts).
  'seed.found':
    '🌱 The seed of task `{{taskId}}` is **{{seed}}**. Add `--seed {{seed}}` to a prompt to start from the same noise.',
  'seed.not_offered': '🚫 This Midjourney server cannot tell seeds (it has no image-seed).',
  'seed.task_unknown': '🔍 The Midjourney API no longer knows this task{{api}}, so it cannot tell its seed.',
  'seed.unavailable': "⚠️ The Midjourney API could not tell this task's seed{{api}}. Try again in a minute.",

  // /mjsettings: the summary, what a change saved, the audit trail (replies/settings.ts).
  'settings.title': '⚙️ **Settings of this server**',
  'settings.line': '• {{label}}: {{value}}',
  'settings.with_note': '{{value}} ({{note}})',
  'settings.label_channels': 'Channels',
  'settings.label_start_roles': 'Who may start tasks',
  'settings.label_click_roles': 'Who may use buttons',
  'settings.label_member_quota': 'Member quota',
  'settings.label_server_budget': 'Server budget',
  'settings.label_speed': 'Default speed',
  'settings.label_updates': 'Updates channel',
  'settings.label_language': 'Language of channel messages',
  'settings.every_channel': 'every channel',
  'settings.and_threads': 'and their threads',
  'settings.everyone': 'everyone',
  'settings.per_day': '{{tasks}} per day',
  'settings.no_limit': 'no limit',
  'settings.used_today': '{{tasks}} per day, {{used}} used today',
  'settings.managers_exempt': 'managers are exempt',
  'settings.speed_account': "the account's own",
  'settings.language_server': "the server's language",
  'settings.click_policy_requester': 'each on the tasks they started',
  'settings.click_policy_anyone': 'on any task',
  'settings.click_policy_roles': 'only with ALLOWED_ROLE_IDS',
  'settings.footer': '-# Quotas and the budget count tasks the API accepted, per day; they reset at midnight UTC.',
  'settings.audit_title': '**Latest changes**',
  'settings.audit_none': '-# No changes yet.',
  'settings.audit_line': '• {{when}} {{who}}: {{label}} {{from}} → {{to}}',
  'settings.audit_by_bot': 'the bot',
  'settings.unchanged': 'ℹ️ Nothing changed: that is already the setting.',
  'settings.saved': '✅ Saved: {{labels}}.',
  'settings.nothing_to_reset': 'ℹ️ Nothing to reset: every setting is already the default.',
  'settings.reset': '♻️ Every setting is back to its default ({{labels}}).',

  // /mjusage (replies/usage.ts).
  'usage.server_title': '📊 **Usage in this server, {{window}}**',
  'usage.self_title': '📊 **Your usage in this server, {{window}}**',
  'usage.member_title': '📊 **Usage of <@{{userId}}> in this server, {{window}}**',
  'usage.window_today': 'today ({{day}}, UTC)',
  'usage.window_days': 'the last {{days}} days ({{from}} – {{to}}, UTC)',
  'usage.nothing': 'Nothing was submitted.',
  'usage.tally_item': '{{name}} {{count}}',
  'usage.tally_more': '{{items}}, +{{count}} more',
  'usage.started': '**{{count}}** started',
  'usage.refused': '**{{count}}** refused',
  'usage.rejected': '**{{count}}** refused by the API',
  'usage.with_list': '{{total}} ({{list}})',
  'usage.by_day': 'By day: {{days}}',
  'usage.members_title': '**Members** (most started first)',
  'usage.members_more_one': '…and {{count}} more member (`/mjusage member:` for one).',
  'usage.members_more_other': '…and {{count}} more members (`/mjusage member:` for one).',
  'usage.member_quota': 'Member quota: {{quota}}.',
  'usage.member_quota_per_day': '{{quota}} per day',
  'usage.resets': 'resets at <t:{{at}}:f> (<t:{{at}}:R>)',
  'usage.budget_today': 'Server budget today: **{{used}}** of {{budget}} used, {{left}} left; {{reset}}.',
  'usage.today_no_quota': 'Today: **{{started}}** started; no daily quota.',
  'usage.today_exempt': 'Today: **{{started}}** started; managers are exempt from the daily quota of {{quota}}.',
  'usage.today_quota': 'Today: **{{started}}** of {{quota}} daily tasks used, **{{left}}** left; {{reset}}.',
  'command.name_imagine': '/imagine',
  'command.name_describe': '/describe',
  'command.name_blend': '/blend',
  'command.name_shorten': '/shorten',
  'usage.rule_member_quota': 'daily quota',
  'usage.rule_server_budget': 'server budget',
  'usage.rule_channel_not_allowed': 'channel not allowed',
  'usage.rule_start_role_required': 'role (start)',
  'usage.rule_click_role_required': 'role (buttons)',
  'usage.rule_role_required': 'role (CLICK_POLICY)',
  'usage.rule_rate_limited': 'per-minute limit',
  'usage.rule_running_cap': 'running tasks',
  'usage.rule_paused': 'paused for banned prompts',
  'usage.rule_not_owner': "another member's task",
  'usage.rule_requester_unknown': 'owner unknown',
  'usage.rule_banned_prompt': 'banned prompt',
  'usage.rule_queue_full': 'queue full',
  'usage.rule_account_limit': 'account limit',
  'usage.rule_unsupported_action': 'not supported',
  'usage.rule_no_account': 'no account free',
  'usage.rule_parent_not_ready': 'task not ready',
  'usage.rule_already_submitted': 'already submitted',
  'usage.rule_task_not_found': 'task unknown to the API',
  'usage.rule_invalid': 'refused request',
  'usage.rule_failure': 'submit failed',
  'usage.rule_no_task_id': 'no task id',
  'usage.rule_unknown_code': 'unexpected answer',
  'usage.rule_unlisted': 'other',

  // Followed tasks: the bot's own reasons and notes in channel messages (tracking/poll-policy.ts).
  'tracking.unreadable':
    'The bot could not read the state the Midjourney API gives for this task, so it stopped following it.',
  'tracking.no_longer_known': 'The Midjourney API no longer knows this task, so its result cannot be shown.',
  'tracking.unknown_id': 'The Midjourney API does not know this task ID.',
  'tracking.timed_out_minutes':
    'Timed out: the task did not finish within {{minutes}} min, so the bot stopped following it.',
  'tracking.timed_out_seconds':
    'Timed out: the task did not finish within {{seconds}} s, so the bot stopped following it.',

  // Task messages (src/render): the state, the embed's field names, the buttons the bot names itself.
  'task.waiting': 'Waiting to start',
  'task.running': 'Running ({{percent}}%)',
  'task.modal': 'Waiting for your input',
  'task.done': 'Done',
  'task.failed': 'Failed',
  'task.cancelled': 'Cancelled',
  'task.timed_out': 'Timed out',
  'task.mode_fast': 'fast',
  'task.mode_relax': 'relax',
  'task.mode_turbo': 'turbo',
  'task.image_number': 'Image #{{index}}',
  'task.field_reason': 'Reason',
  'task.no_reason': 'No reason was given.',
  'task.field_model': 'Model',
  'task.field_note': 'Note',
  'task.seed': 'seed {{seed}}',
  'task.open_image': 'Open image',
  'task.open_video': 'Open video',
  /** The bot's own ✉️ button under a finished picture: answers with its seed. */
  'task.seed_button': 'Seed',
  /** The word before the id on a task message's `-# Task <id>` line (read back in every language). */
  'task.id_word': 'Task',
  'task.untitled': 'Midjourney task',
  /** This language's own name (/mjsettings language, the summary). */
  'language.name': 'English',
  'action.IMAGINE': 'Imagine',
  'action.UPSCALE': 'Upscale',
  'action.UPSCALE_HD': 'Upscale (HD)',
  'action.VARIATION': 'Variation',
  'action.LOW_VARIATION': 'Vary (Subtle)',
  'action.HIGH_VARIATION': 'Vary (Strong)',
  'action.REROLL': 'Re-roll',
  'action.INPAINT': 'Vary (Region)',
  'action.OUTPAINT': 'Zoom Out',
  'action.ZOOM': 'Zoom',
  'action.CUSTOM_ZOOM': 'Custom Zoom',
  'action.PAN': 'Pan',
  'action.DESCRIBE': 'Describe',
  'action.BLEND': 'Blend',
  'action.SHORTEN': 'Shorten',
  'action.VIDEO': 'Video',
  'action.VIDEO_EXTEND': 'Video (Extend)',
  'action.MODAL': 'Remix',
  'action.ACTION': 'Action',
} as const;
