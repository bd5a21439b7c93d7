// What Describe and Shorten results hold, read as plain data: the numbered prompts, a Shorten's
// analysis (behind "Show details"), and the private answer that words it.
import { describe, expect, it } from 'vitest';
import { ENGLISH } from '../../src/i18n/index.js';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { isTextResult, numberedPrompts, shortenAnalysis, shortenedPromptLines } from '../../src/mj/text-results.js';
import { parseComponentId } from '../../src/render/custom-ids.js';
import { detailsButtonFor } from '../../src/render/own-buttons.js';
import { shortenDetailsReply } from '../../src/replies/shorten.js';

/** midjourney-proxy-plus docs/api.md §5, as its finished SHORTEN task holds it. */
const PLUS_SHORTEN =
  '## Important tokens\n**appdash** **appdash**, in the ~~style~~ of ~~expert~~ **draftsmanship**, commission for, ethereal, dreamlike quality, ~~dadaistic~~, **toonami**\n## Shortened prompts\n1️⃣ appdash appdash, draftsmanship, commission for, ethereal, toonami\n\n2️⃣ appdash appdash, draftsmanship, commission, toonami\n\n3️⃣ appdash appdash, draftsmanship, toonami\n\n4️⃣ appdash appdash, toonami\n\n5️⃣ appdash appdash';

const shorten = (fields: Record<string, unknown>) =>
  MjTaskSchema.parse({ id: '1689252749098647', action: 'SHORTEN', status: 'SUCCESS', ...fields });

describe('Shorten results', () => {
  const task = shorten({ prompt: 'appdash appdash, …', properties: { finalPrompt: PLUS_SHORTEN } });

  it('reads the five shortened prompts, not the analysis line', () => {
    expect(numberedPrompts(task).size).toBe(5);
    expect(shortenedPromptLines(task)).toEqual([
      '1️⃣ appdash appdash, draftsmanship, commission for, ethereal, toonami',
      '2️⃣ appdash appdash, draftsmanship, commission, toonami',
      '3️⃣ appdash appdash, draftsmanship, toonami',
      '4️⃣ appdash appdash, toonami',
      '5️⃣ appdash appdash',
    ]);
    expect(isTextResult(task)).toBe(true);
  });

  it('reads the analysis: bold tokens important, struck ones droppable, the rest of its lines as given', () => {
    expect(shortenAnalysis(task)).toEqual({
      important: ['appdash', 'appdash', 'draftsmanship', 'toonami'],
      dropped: ['style', 'expert', 'dadaistic'],
      more: [],
    });
    // plus's Show Details answer adds weight bars under the tokens line.
    const detailed = shorten({
      properties: { finalPrompt: PLUS_SHORTEN.replace('\n## Shortened', '\n\n██████████ appdash\n## Shortened') },
    });
    expect(shortenAnalysis(detailed)?.more).toEqual(['██████████ appdash']);
    // The fork keeps the same text in description (DiscordWebSocketService.cs L2705-2714).
    expect(shortenAnalysis(shorten({ description: PLUS_SHORTEN }))?.important).toHaveLength(4);
    expect(shortenAnalysis(shorten({ description: '/shorten a fox' }))).toBeNull();
  });

  it('offers Show details only on a finished Shorten with an analysis, as a custom_id parsed back', () => {
    const [button] = detailsButtonFor(task);
    expect(button).toMatchObject({ custom_id: 'mjdetails:1689252749098647', label: 'Show details' });
    expect(parseComponentId(button!.custom_id)).toEqual({ kind: 'details', taskId: '1689252749098647' });
    expect(parseComponentId('mjdetails:../x')).toEqual({ kind: 'expired', namespace: 'details' });
    expect(detailsButtonFor({ ...task, status: 'IN_PROGRESS' })).toEqual([]);
    expect(detailsButtonFor(shorten({ description: '/shorten a fox' }))).toEqual([]);
  });

  it('words the analysis as plain text, redacted', () => {
    const secretive = shorten({ properties: { finalPrompt: '## Important tokens\n**sk-secret** ~~*odd*~~\n' } });
    const reply = shortenDetailsReply(ENGLISH, task.id, shortenAnalysis(secretive), (t) =>
      t.replace('sk-secret', '[redacted]'),
    );
    expect(reply.content).toBe('🔎 What Midjourney read in the prompt of task `1689252749098647`:');
    expect(reply.embeds?.[0]?.description).toBe(
      '**Important:** \\[redacted\\]\n**Changes little (can go):** \\*odd\\*',
    );
    expect(shortenDetailsReply(ENGLISH, task.id, null, (t) => t).content).toMatch(/gave no analysis/);
  });
});
