// Every screenshot scene (test/support/scenes.ts) still runs on the real bot and gives something to
// draw, and its page shows what the bot sent: `npm run screenshots` cannot silently rot.
import { describe, expect, it } from 'vitest';
import { scenePage } from '../../scripts/screenshots/discord-html.js';
import { escapeHtml } from '../../scripts/screenshots/markdown.js';
import { LANGUAGES, languageOf } from '../../src/i18n/index.js';
import { startHarness } from '../support/harness.js';
import { SCENES, sceneHarness } from '../support/scenes.js';
import { taskIdOf } from '../support/tracking-e2e.js';

describe('screenshot scenes', () => {
  it.each(SCENES.map((s) => [s.name, s] as const))('%s runs and draws', async (_name, scene) => {
    const h = await startHarness(sceneHarness(scene));
    try {
      const view = await scene.run(h);
      expect(view.messages.length).toBeGreaterThan(0);
      const page = scenePage(view, {
        names: { user: (id) => h.discord.displayName(id), channel: (id) => h.discord.channelName(id) },
        imageSrc: () => 'data:image/png;base64,',
        time: 'Today at 12:00',
        ...(scene.lang ? { lang: scene.lang } : {}),
      });
      // The scene's language names the task on its id line (`-# Task <id>`, `-# 任务 <id>`).
      const idWord = LANGUAGES[languageOf(scene.lang)]['task.id_word'];
      for (const message of view.messages) {
        // The page shows what the member reads: a task's id line, or the sentence.
        const taskId = taskIdOf(message);
        if (taskId !== null) expect(page).toContain(`<div class="subtext">${idWord} ${taskId}</div>`);
        // (up to the first code span or mention, which the page draws as Discord does)
        else expect(page).toContain(escapeHtml(message.content.split(/[`<]/)[0]!));
      }
      if (view.modal) expect(page).toContain(String(view.modal.title));
      expect(h.discord.serverErrors).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
