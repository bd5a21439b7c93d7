// The bot's own buttons under a task, beside Midjourney's: what the server offers that is no button
// of the task itself. Pure.
import { ENGLISH, type Translate } from '../i18n/index.js';
import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import type { DialectCapabilities } from '../mj/capabilities.js';
import type { MjTask } from '../mj/schema.js';
import { isValidTaskId } from '../mj/task-id.js';
import { encodeDetailsId, encodeSeedId } from './custom-ids.js';
import { isShorten, shortenAnalysis } from '../mj/text-results.js';

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

/**
 * "Show details" under a finished Shorten whose server gave its analysis (the important tokens): the
 * bot answers it privately from the task, so it runs on every server that has /shorten.
 */
export function detailsButtonFor(
  task: Pick<MjTask, 'id' | 'status' | 'action' | 'properties' | 'description' | 'promptEn'>,
  t: Translate = ENGLISH,
): APIButtonComponentWithCustomId[] {
  if (task.status !== 'SUCCESS' || !isShorten(task) || !isValidTaskId(task.id)) return [];
  if (shortenAnalysis(task) === null) return [];
  return [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      custom_id: encodeDetailsId(task.id),
      label: t('shorten.details_button'),
    },
  ];
}
