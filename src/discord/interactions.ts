// Every command and every component the bot answers, with its handler. The router looks a command up
// by name and a component by the kind of its parsed custom_id (render/custom-ids.ts); the mapped type
// makes TypeScript refuse a component kind without a handler. A new command or button goes here.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import type { ComponentIdOf, ComponentKind } from '../render/custom-ids.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import type { HandlerDeps } from '../submit/deps.js';
import { runBlend } from './commands/blend.js';
import { runDescribe } from './commands/describe.js';
import { runImagine } from './commands/imagine.js';
import { runMjsettings } from './commands/mjsettings.js';
import { runMjtask } from './commands/mjtask.js';
import { runMjusage } from './commands/mjusage.js';
import { suggestOwnTasks } from './commands/mjtask-autocomplete.js';
import { runMjupdates } from './commands/mjupdates.js';
import { runShorten } from './commands/shorten.js';
import { openEditPromptForm } from './components/edit-prompt-button.js';
import { clickMjButton } from './components/mj-button.js';
import { receivePromptForm } from './components/prompt-form.js';
import { showSeed } from './components/seed-button.js';
import { showShortenDetails } from './components/details-button.js';

export type CommandHandler = (interaction: ChatInputCommandInteraction, deps: HandlerDeps) => Promise<void>;
export type AutocompleteHandler = (interaction: AutocompleteInteraction, deps: HandlerDeps) => Promise<void>;

/** Which interaction each component kind arrives on: buttons are clicked, forms are submitted. */
export interface ComponentInteractions {
  'mj-button': ButtonInteraction;
  'edit-prompt': ButtonInteraction;
  'prompt-form': ModalSubmitInteraction;
  seed: ButtonInteraction;
  details: ButtonInteraction;
  expired: ButtonInteraction | ModalSubmitInteraction;
}

export type ComponentHandler<K extends ComponentKind> = (
  interaction: ComponentInteractions[K],
  id: ComponentIdOf<K>,
  deps: HandlerDeps,
) => Promise<void>;

export const commands: Readonly<Record<string, CommandHandler>> = {
  mjtask: runMjtask,
  imagine: runImagine,
  describe: runDescribe,
  blend: runBlend,
  shorten: runShorten,
  mjupdates: runMjupdates,
  mjsettings: runMjsettings,
  mjusage: runMjusage,
};

/** Commands with an autocompleted option, by name. */
export const autocompletes: Readonly<Record<string, AutocompleteHandler>> = {
  mjtask: suggestOwnTasks,
};

export const components: { readonly [K in ComponentKind]: ComponentHandler<K> } = {
  'mj-button': clickMjButton,
  'edit-prompt': openEditPromptForm,
  'prompt-form': receivePromptForm,
  seed: showSeed,
  details: showShortenDetails,
  expired: (_interaction, id) =>
    Promise.reject(
      new UserFacingError({
        reason: id.namespace === 'seed' || id.namespace === 'details' ? 'unknown_button' : 'form_expired',
      }),
    ),
};

/** The kinds a button click may carry, and those a form submit may carry. */
export const COMPONENT_SOURCES: { readonly [K in ComponentKind]: ReadonlyArray<'button' | 'modal'> } = {
  'mj-button': ['button'],
  'edit-prompt': ['button'],
  'prompt-form': ['modal'],
  seed: ['button'],
  details: ['button'],
  expired: ['button', 'modal'],
};
