// The screenshot pages draw message content the way the Discord client does (scripts/screenshots).
import { describe, expect, it } from 'vitest';
import { escapeHtml, inline, markdown } from '../../scripts/screenshots/markdown.js';

const names = { user: (id: string) => (id === '42' ? 'Tester' : id), channel: (id: string) => `chan-${id}` };

describe('Discord markdown as HTML', () => {
  it('a content line: bold prompt, mention by name, and the -# Task line as subtext', () => {
    expect(markdown('**a cat** - <@42> (46%) (fast)\n-# Task 1767225600000000', names)).toBe(
      '<div class="line"><strong>a cat</strong> - <span class="mention">@Tester</span> (46%) (fast)</div>' +
        '<div class="subtext">Task 1767225600000000</div>',
    );
  });

  it('escapes show the character, never its markup', () => {
    expect(inline('\\*not bold\\* \\<@42\\> a\\_b', names)).toBe('*not bold* &#60;@42&#62; a_b');
    expect(inline('**a \\*\\* b**', names)).toBe('<strong>a ** b</strong>');
  });

  it('links, code, channels and italics', () => {
    expect(inline('see <https://x.test/a> in <#7>', names)).toBe(
      'see <span class="link">https://x.test/a</span> in <span class="mention">#chan-7</span>',
    );
    expect(inline('`--v 7` and *soft*', names)).toBe('<code>--v 7</code> and <em>soft</em>');
    expect(inline('[Monet](https://x.test/m)', names)).toBe('<span class="link">Monet</span>');
  });

  it('no text reaches the page as HTML', () => {
    expect(markdown('<img src=x onerror=alert(1)> & "q"', names)).not.toContain('<img');
    expect(escapeHtml('<a href="x">')).toBe('&#60;a href=&#34;x&#34;&#62;');
  });
});
