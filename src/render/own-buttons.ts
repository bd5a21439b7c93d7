// The bot's own buttons under a task, beside Midjourney's: what the server offers that is no button
// of the task itself. Pure.
import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import type { DialectCapabilities } from '../mj/capabilities.js';
import type { MjTask } from '../mj/schema.js';
import { isValidTaskId } from '../mj/task-id.js';
import { ENGLISH, type Translate } from '../i18n/index.js';
import { encodeSeedId } from './custom-ids.js';

/** ✉️, the reaction Midjourney's own bot answers with the job's seed. */
const ENVELOPE = '\u2709\uFE0F';

/** Actions whose result is text, not a picture: they have no image seed. */
const WITHOUT_IMAGE = new Set(['DESCRIBE', 'SHORTEN', 'UPLOAD']);

/**
 * ✉️ Seed under a finished picture (or video) on a server with /image-seed; none elsewhere, and none
 * while the task runs (the server refuses it until then, fork TaskController.cs L132-160).
 */
export function seedButtonFor(
  task: Pick<MjTask, 'id' | 'status' | 'action' | 'imageUrl'>,
  capabilities: DialectCapabilities | undefined,
  t: Translate = ENGLISH,
): APIButtonComponentWithCustomId[] {
  if (capabilities?.offers.imageSeed !== true) return [];
  if (task.status !== 'SUCCESS' || !isValidTaskId(task.id) || task.imageUrl === null) return [];
  if (WITHOUT_IMAGE.has(task.action.trim().toUpperCase())) return [];
  return [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      custom_id: encodeSeedId(task.id),
      label: t('task.seed_button'),
      emoji: { name: ENVELOPE },
    },
  ];
}
