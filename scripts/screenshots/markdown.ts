// Discord's markdown, the part a message from the bot can use, as HTML the way the Discord client shows
// it: bold, italics, underline, strike, inline code, `-#` subtext and `#` headings, `>` quotes, user
// and channel mentions by name, links (bare, `<…>` and masked), and `\` escapes. Pure.

export interface MarkdownNames {
  /** Display name of a mentioned user, by id. */
  user(id: string): string;
  /** Name of a mentioned channel, by id. */
  channel(id: string): string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface InlineRule {
  pattern: RegExp;
  html(m: RegExpExecArray, names: MarkdownNames): string;
}

/** Text between a pair of markers: escapes are kept whole so `\*` never closes a `*`. */
const between = (open: string, close = open) => new RegExp(`^${open}((?:\\\\[^]|(?!${close})[^\\\\])+?)${close}`);

const RULES: InlineRule[] = [
  { pattern: /^\\([^A-Za-z0-9\s])/, html: (m) => escapeHtml(m[1] ?? '') },
  { pattern: /^<@!?(\d{1,20})>/, html: (m, n) => `<span class="mention">@${escapeHtml(n.user(m[1] ?? ''))}</span>` },
  { pattern: /^<#(\d{1,20})>/, html: (m, n) => `<span class="mention">#${escapeHtml(n.channel(m[1] ?? ''))}</span>` },
  { pattern: /^<(https?:\/\/[^\s<>]+)>/, html: (m) => `<span class="link">${escapeHtml(m[1] ?? '')}</span>` },
  {
    pattern: /^\[([^[\]\n]+)\]\(<?(https?:\/\/[^\s()<>]+)>?\)/,
    html: (m, n) => `<span class="link">${inline(m[1] ?? '', n)}</span>`,
  },
  { pattern: /^https?:\/\/[^\s<]+[^\s<.,:;"')\]]/, html: (m) => `<span class="link">${escapeHtml(m[0])}</span>` },
  { pattern: /^`([^`]+)`/, html: (m) => `<code>${escapeHtml(m[1] ?? '')}</code>` },
  { pattern: between('\\*\\*'), html: (m, n) => `<strong>${inline(m[1] ?? '', n)}</strong>` },
  { pattern: between('__'), html: (m, n) => `<u>${inline(m[1] ?? '', n)}</u>` },
  { pattern: between('~~'), html: (m, n) => `<s>${inline(m[1] ?? '', n)}</s>` },
  { pattern: between('\\*'), html: (m, n) => `<em>${inline(m[1] ?? '', n)}</em>` },
  { pattern: between('_'), html: (m, n) => `<em>${inline(m[1] ?? '', n)}</em>` },
];

/** One line (or a span inside one) of inline markdown as HTML. */
export function inline(text: string, names: MarkdownNames): string {
  let out = '';
  let plain = '';
  let rest = text;
  while (rest !== '') {
    let matched = false;
    for (const rule of RULES) {
      const m = rule.pattern.exec(rest);
      if (!m) continue;
      out += escapeHtml(plain) + rule.html(m, names);
      plain = '';
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (matched) continue;
    const ch = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    plain += ch;
    rest = rest.slice(ch.length);
  }
  return out + escapeHtml(plain);
}

/** A whole message content (or embed description) as HTML blocks, line by line. */
export function markdown(text: string, names: MarkdownNames): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push(`<div class="line">${paragraph.join('<br>')}</div>`);
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    const subtext = /^-# (.*)$/.exec(line);
    const quote = /^> ?(.*)$/.exec(line);
    if (subtext) {
      flush();
      blocks.push(`<div class="subtext">${inline(subtext[1] ?? '', names)}</div>`);
    } else if (heading) {
      flush();
      blocks.push(`<div class="h${heading[1]?.length ?? 1}">${inline(heading[2] ?? '', names)}</div>`);
    } else if (quote) {
      flush();
      blocks.push(`<div class="quote">${inline(quote[1] ?? '', names)}</div>`);
    } else {
      paragraph.push(inline(line, names));
    }
  }
  flush();
  return blocks.join('');
}
