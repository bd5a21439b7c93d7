// The sentences for images and options of /imagine, /describe and /blend that cannot be used. Pure.
// Each says what is wrong, that nothing was submitted (nothing was paid for), and what to do.
import type { Translate } from '../i18n/index.js';
import type { NewTaskInputProblem } from './reasons.js';

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
/** A file name as plain text: no backticks or line breaks can break out of the code span. */
const name = (filename: string) => `\`${filename.replace(/[`\r\n]/g, "'").slice(0, 80)}\``;

export function newTaskInputSentence(t: Translate, problem: NewTaskInputProblem): string {
  const option = 'option' in problem ? `\`${problem.option.replace(/`/g, '')}\`` : '';
  switch (problem.reason) {
    case 'attachment_not_image':
      return t('input.attachment_not_image', {
        file: name(problem.filename),
        option,
        what: problem.contentType ? `\`${problem.contentType.replace(/`/g, '')}\`` : t('input.not_an_image'),
        types: t('input.types'),
      });
    case 'attachment_too_large':
      return t('input.attachment_too_large', {
        file: name(problem.filename),
        option,
        size: mb(problem.size),
        max: mb(problem.maxBytes),
      });
    case 'attachment_not_on_cdn':
      return t('input.attachment_not_on_cdn', { file: name(problem.filename), option });
    case 'attachment_bytes_not_image':
      return t('input.attachment_bytes_not_image', { option, types: t('input.types') });
    case 'attachment_bytes_too_large':
      return t('input.attachment_bytes_too_large', { option, max: mb(problem.maxBytes) });
    case 'attachment_download_failed':
      return t('input.attachment_download_failed', { option });
    case 'image_url_invalid':
      return t('input.image_url_invalid', { option, types: t('input.types') });
    case 'option_unsupported':
      return t('input.option_unsupported', { server: problem.server, option });
    case 'one_image_needed':
      return t('input.one_image_needed');
    case 'too_few_images':
      return t('input.too_few_images', { min: problem.min, given: problem.given });
    case 'command_unsupported':
      return t('input.command_unsupported', { server: problem.server, command: problem.command });
    case 'task_image_unavailable':
      return t('input.task_image_unavailable');
  }
}
