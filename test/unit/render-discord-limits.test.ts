// The validator that the renderer tests trust must itself catch what Discord refuses.
import { describe, expect, it } from 'vitest';
import { validateMessagePayload } from '../support/discord-limits.js';

const button = (over: Record<string, unknown> = {}) => ({ type: 2, style: 2, custom_id: 'MJ::a', label: 'A', ...over });
const row = (...components: unknown[]) => ({ type: 1, components });

function expectProblem(payload: Parameters<typeof validateMessagePayload>[0], fragment: string): void {
  const problems = validateMessagePayload(payload);
  expect(
    problems.some((p) => p.includes(fragment)),
    `${JSON.stringify(problems)} should mention ${fragment}`,
  ).toBe(true);
}

describe('validateMessagePayload', () => {
  it('accepts a typical task message', () => {
    const payload = {
      content: '**cat** - <@123456789012345678> (Done)',
      embeds: [
        {
          title: 'Imagine',
          description: 'cat',
          color: 0x2ecc71,
          fields: [{ name: 'Status', value: 'Done' }],
          footer: { text: 'Task 1' },
          image: { url: 'attachment://a.png' },
        },
      ],
      components: [
        row(button(), button({ custom_id: 'MJ::b', label: undefined, emoji: { name: '🔄' } })),
        row({ type: 2, style: 5, label: 'Open image', url: 'https://x.y/z.png' }),
      ],
    };
    expect(validateMessagePayload(payload)).toEqual([]);
  });

  it('checks content and message emptiness', () => {
    expectProblem({ content: 'x'.repeat(2001) }, 'content: BASE_TYPE_MAX_LENGTH');
    expectProblem({ content: '' }, 'MESSAGE_EMPTY');
    expectProblem({ content: 'broken \ud83d text' }, 'content: UNICODE_INVALID');
    expect(validateMessagePayload({ content: 'x'.repeat(2000) })).toEqual([]);
  });

  it('checks every embed limit and the 6000 total', () => {
    expectProblem({ embeds: [{ title: 't'.repeat(257) }] }, 'embeds[0].title');
    expectProblem({ embeds: [{ description: 'd'.repeat(4097) }] }, 'embeds[0].description');
    expectProblem({ embeds: [{ footer: { text: 'f'.repeat(2049) } }] }, 'embeds[0].footer.text');
    expectProblem({ embeds: [{ author: { name: 'a'.repeat(257) } }] }, 'embeds[0].author.name');
    expectProblem(
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      'embeds[0].fields: BASE_TYPE_MAX_LENGTH',
    );
    expectProblem({ embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] }, 'fields[0].name');
    expectProblem({ embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }, 'fields[0].value');
    expectProblem({ embeds: [{ fields: [{ name: 'n', value: '' }] }] }, 'fields[0].value: BASE_TYPE_MIN_LENGTH');
    expectProblem({ embeds: [{ fields: [{ name: 'n' }] }] }, 'fields[0].value: BASE_TYPE_REQUIRED');
    expectProblem({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 'embeds: BASE_TYPE_MAX_LENGTH');
    expectProblem(
      { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
      'MAX_EMBED_SIZE_EXCEEDED',
    );
    expectProblem({ embeds: [{ title: 't', image: { url: 'javascript:alert(1)' } }] }, 'image.url');
    expectProblem({ embeds: [{ title: 't', color: 0x1000000 }] }, 'color');
    expectProblem({ embeds: [{}] }, 'embed is empty');
    // Astral characters count double under the stricter reading.
    expectProblem({ embeds: [{ title: '😀'.repeat(129) }] }, 'embeds[0].title');
  });

  it('checks rows and buttons', () => {
    expectProblem(
      { components: Array.from({ length: 6 }, (_, i) => row(button({ custom_id: `MJ::${i}` }))) },
      'components: BASE_TYPE_MAX_LENGTH',
    );
    expectProblem(
      { components: [row(...Array.from({ length: 6 }, (_, i) => button({ custom_id: `MJ::${i}` })))] },
      'components[0].components: BASE_TYPE_MAX_LENGTH',
    );
    expectProblem({ components: [row()] }, 'components[0].components: BASE_TYPE_MIN_LENGTH');
    expectProblem({ components: [button()] }, 'components[0].type');
    expectProblem({ components: [row(button(), button())] }, 'components[0].components[1].custom_id: duplicate');
    expectProblem(
      { components: [row(button()), row(button({ label: 'B' }))] },
      'components[1].components[0].custom_id: duplicate',
    );
    expectProblem({ components: [row(button({ custom_id: 'x'.repeat(101) }))] }, 'custom_id: BASE_TYPE_MAX_LENGTH');
    expectProblem({ components: [row(button({ custom_id: '' }))] }, 'custom_id: BASE_TYPE_MIN_LENGTH');
    expectProblem({ components: [row(button({ custom_id: undefined }))] }, 'COMPONENT_CUSTOM_ID_REQUIRED');
    expectProblem({ components: [row(button({ label: 'l'.repeat(81) }))] }, 'label: BASE_TYPE_MAX_LENGTH');
    expectProblem({ components: [row(button({ label: undefined }))] }, 'LABEL_OR_EMOJI_REQUIRED');
    expectProblem({ components: [row(button({ label: '  ' }))] }, 'LABEL_OR_EMOJI_REQUIRED');
    expectProblem({ components: [row(button({ style: 7 }))] }, 'INVALID_STYLE');
    expectProblem({ components: [row(button({ style: 0 }))] }, 'INVALID_STYLE');
    expectProblem({ components: [row({ type: 2, style: 6, sku_id: '1' })] }, 'premium');
    expectProblem({ components: [row(button({ emoji: { name: 'upscale_1' } }))] }, 'BUTTON_COMPONENT_INVALID_EMOJI');
    expectProblem({ components: [row(button({ emoji: { name: ':heart:' } }))] }, 'BUTTON_COMPONENT_INVALID_EMOJI');
    expectProblem({ components: [row(button({ emoji: { id: 'abc' } }))] }, 'BUTTON_COMPONENT_INVALID_EMOJI');
    expect(
      validateMessagePayload({ components: [row(button({ emoji: { id: '940147353879478324', name: 'upscale_1' } }))] }),
    ).toEqual([]);
  });

  it('checks link buttons', () => {
    const link = (over: Record<string, unknown> = {}) => ({
      type: 2,
      style: 5,
      label: 'Open',
      url: 'https://x.y/',
      ...over,
    });
    expect(validateMessagePayload({ components: [row(link())] })).toEqual([]);
    expectProblem({ components: [row(link({ url: undefined }))] }, 'URL_REQUIRED');
    expectProblem({ components: [row(link({ url: 'javascript:alert(1)' }))] }, 'URL_TYPE_INVALID_URL');
    expectProblem({ components: [row(link({ url: 'https://x.y/' + 'a'.repeat(510) }))] }, 'url: BASE_TYPE_MAX_LENGTH');
    expectProblem({ components: [row(link({ custom_id: 'MJ::a' }))] }, 'CUSTOM_ID_NOT_ALLOWED');
    expectProblem({ components: [row(button({ url: 'https://x.y/' }))] }, 'URL_NOT_ALLOWED');
  });
});
