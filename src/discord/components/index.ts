// Everything that spends Midjourney money from Discord — MJ buttons, the pop-up forms, the "Edit
// prompt & submit" button and /imagine — built around one click log and one lock, so the router's
// handler lists stay plain data.
import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import type { ClickLog } from '../../store/clicks.js';
import { createKeyedLock, type KeyedLock } from '../../submit/keyed-lock.js';
import { createRemixMemory } from '../../submit/remix-memory.js';
import { createImagineCommand } from '../commands/imagine.js';
import type { CommandHandler, ComponentHandler } from '../router.js';
import { editPromptButtonHandler } from './edit-prompt-button.js';
import { createMjButtonHandler } from './mj-button.js';
import { createModalSubmitHandler } from './modal-submit.js';

export interface ActionHandlers {
  commands: CommandHandler[];
  buttons: ComponentHandler<ButtonInteraction>[];
  modals: ComponentHandler<ModalSubmitInteraction>[];
}

export function createActionHandlers(options: { clickLog: ClickLog; lock?: KeyedLock }): ActionHandlers {
  const deps = { clickLog: options.clickLog, lock: options.lock ?? createKeyedLock(), remix: createRemixMemory() };
  return {
    commands: [createImagineCommand(deps)],
    buttons: [createMjButtonHandler(deps), editPromptButtonHandler],
    modals: [createModalSubmitHandler(deps)],
  };
}

export type { ActionDeps } from './submit-flow.js';
