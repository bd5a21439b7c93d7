// npm run screenshots [-- <scene names…>] [--html]: runs every scene of test/support/scenes.ts (the real
// bot against the stand-ins), draws the Discord messages the stand-in recorded as a Discord-like page
// in headless Chromium, and writes docs/screenshots/<scene>.png (and .html with --html).
// Needs Chromium at CHROMIUM_PATH (default /usr/bin/chromium; Debian: apt-get install chromium
// fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Harness } from '../../test/support/harness.js';
import { startHarness } from '../../test/support/harness.js';
import { SCENES, sceneHarness, type Scene, type SceneView } from '../../test/support/scenes.js';
import { scenePage, type PageContext } from './discord-html.js';

const OUT_DIR = resolve(import.meta.dirname, '../../docs/screenshots');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The images a view links (embed images), fetched from the stand-in while it runs, as data: URIs. */
async function linkedImages(view: SceneView): Promise<Map<string, string>> {
  const urls = view.messages.flatMap((m) =>
    m.embeds.map((e) => (e.image as { url?: string } | undefined)?.url).filter((u): u is string => u !== undefined),
  );
  const out = new Map<string, string>();
  for (const url of urls) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const type = res.headers.get('content-type') ?? 'application/octet-stream';
    out.set(url, `data:${type};base64,${Buffer.from(await res.arrayBuffer()).toString('base64')}`);
  }
  return out;
}

/** Runs one scene on a fresh bot and stand-ins, and returns its page. */
async function pageOf(scene: Scene): Promise<string> {
  const h: Harness = await startHarness(sceneHarness(scene));
  try {
    const view = await scene.run(h);
    const images = await linkedImages(view);
    const ctx: PageContext = {
      names: { user: (id) => h.discord.displayName(id), channel: (id) => h.discord.channelName(id) },
      imageSrc: (url) => images.get(url) ?? null,
      // A fixed time: the pictures change only when what the bot sends changes.
      time: scene.lang === 'zh-CN' ? '今天 12:00' : 'Today at 12:00',
      ...(scene.lang ? { lang: scene.lang } : {}),
    };
    return scenePage(view, ctx);
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const writeHtml = args.includes('--html');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((name) => !SCENES.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new Error(`no scene ${unknown.join(', ')} (scenes: ${SCENES.map((s) => s.name).join(', ')})`);
  const scenes = wanted.length > 0 ? SCENES.filter((s) => wanted.includes(s.name)) : SCENES;

  mkdirSync(OUT_DIR, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'mjtask-screenshots-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 920, height: 400 },
    deviceScaleFactor: 1,
  });
  try {
    for (const scene of scenes) {
      const started = Date.now();
      const html = await pageOf(scene);
      if (writeHtml) writeFileSync(join(OUT_DIR, `${scene.name}.html`), html);
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      await page.locator('#shot').screenshot({ path: join(OUT_DIR, `${scene.name}.png`) });
      await page.close();
      console.log(`docs/screenshots/${scene.name}.png (${Date.now() - started} ms)`);
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
