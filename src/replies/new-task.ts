// The sentences for images and options of /imagine, /describe and /blend that cannot be used. Pure.
// Each says what is wrong, that nothing was submitted (nothing was paid for), and what to do.
import type { NewTaskInputProblem } from './reasons.js';

const TYPES = 'PNG, JPEG, WebP or GIF';
const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
/** A file name as plain text: no backticks or line breaks can break out of the code span. */
const name = (filename: string) => `\`${filename.replace(/[`\r\n]/g, "'").slice(0, 80)}\``;

export function newTaskInputSentence(problem: NewTaskInputProblem): string {
  const option = 'option' in problem ? `\`${problem.option.replace(/`/g, '')}\`` : '';
  switch (problem.reason) {
    case 'attachment_not_image':
      return `⚠️ ${name(problem.filename)} (${option}) is ${problem.contentType ? `\`${problem.contentType}\`` : 'not an image'}; Midjourney takes ${TYPES} images. Nothing was submitted.`;
    case 'attachment_too_large':
      return `⚠️ ${name(problem.filename)} (${option}) is ${mb(problem.size)}; images up to ${mb(problem.maxBytes)} are accepted. Nothing was submitted.`;
    case 'attachment_not_on_cdn':
      return `⚠️ ${name(problem.filename)} (${option}) is not an upload on Discord, so the bot does not download it. Nothing was submitted.`;
    case 'attachment_bytes_not_image':
      return `⚠️ The file in ${option} is not a ${TYPES} image, whatever its name says. Nothing was submitted.`;
    case 'attachment_bytes_too_large':
      return `⚠️ The image in ${option} is larger than ${mb(problem.maxBytes)}. Nothing was submitted.`;
    case 'attachment_download_failed':
      return `⚠️ The bot could not download the image in ${option} from Discord. Nothing was submitted; attach it again and retry.`;
    case 'image_url_invalid':
      return `⚠️ ${option} must be an https link to a ${TYPES} image. Nothing was submitted.`;
    case 'option_unsupported':
      return `⚠️ This Midjourney server (${problem.server}) does not let the bot choose ${option}. Nothing was submitted; try again without it.`;
    case 'one_image_needed':
      return '⚠️ /describe needs one image: attach it in `image` or link it in `url`, not both. Nothing was submitted.';
    case 'too_few_images':
      return `⚠️ Blend needs at least ${problem.min} images (${problem.given} given). Nothing was submitted.`;
  }
}
