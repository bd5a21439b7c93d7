// Typing in /mjtask's `id`: the member's own recent tasks in this server, from the store (no API
// request, so the answer is well within Discord's 3 s). A typed id still works as is: suggestions are
// only suggestions, the command validates whatever arrives.
import type { AutocompleteInteraction } from 'discord.js';
import { translatorFor } from '../../i18n/index.js';
import { AUTOCOMPLETE_CHOICES_MAX, taskChoices } from '../../render/task-choices.js';
import type { HandlerDeps } from '../../submit/deps.js';

export async function suggestOwnTasks(interaction: AutocompleteInteraction, deps: HandlerDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'id') return interaction.respond([]);
  const typed = String(focused.value).trim().slice(0, 100);
  const tasks = await deps.owners.recentOf(interaction.user.id, interaction.guildId, AUTOCOMPLETE_CHOICES_MAX, typed);
  await interaction.respond(taskChoices(tasks, deps.redact, translatorFor(interaction.locale)));
}
