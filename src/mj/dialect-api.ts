// Which server the bot talks to, settled once at start (MJ_API_DIALECT, or `auto`: detectDialect's
// probes through the bot's own HTTP client), and the one read that depends on it.
import type { MJ_DIALECT_SETTINGS } from '../config/schema.js';
import type { MjApi } from './api.js';
import { CAPABILITIES, type DialectCapabilities } from './capabilities.js';
import { detectDialect, type DialectProbe } from './dialect.js';
import { mostAdvancedPerId } from './interpret-response.js';

export type MjDialectSetting = (typeof MJ_DIALECT_SETTINGS)[number];

export interface DialectChoice {
  capabilities: DialectCapabilities;
  /** 'setting': MJ_API_DIALECT named it; 'detected': the probes did; 'undecided': neither (generic behaviour). */
  source: 'setting' | 'detected' | 'undecided';
  /** What each probe answered and what that means (empty for 'setting'). */
  evidence: string[];
}

/** The dialect for this run: the setting, else what the probes single out, else the generic behaviour. */
export async function chooseDialect(
  setting: MjDialectSetting,
  probe: DialectProbe | undefined,
): Promise<DialectChoice> {
  if (setting !== 'auto') return { capabilities: CAPABILITIES[setting], source: 'setting', evidence: [] };
  if (probe === undefined)
    return { capabilities: CAPABILITIES.unknown, source: 'undecided', evidence: ['no HTTP client to probe with'] };
  const verdict = await detectDialect(probe);
  return {
    capabilities: CAPABILITIES[verdict.dialect],
    source: verdict.dialect === 'unknown' ? 'undecided' : 'detected',
    evidence: verdict.evidence,
  };
}

/**
 * The API as the rest of the bot reads it on this server. Behind new-api a single /fetch may serve the
 * older of two rows with one id, stuck at MODAL (see CAPABILITIES.newapi): the list's rows are asked
 * too, and the most advanced state wins.
 */
export function withDialectReads(api: MjApi, capabilities: () => DialectCapabilities): MjApi {
  const submitChange = api.submitChange?.bind(api);
  const fetchImageSeed = api.fetchImageSeed?.bind(api);
  const recentTasks = api.recentTasks?.bind(api);
  return {
    fetchTasks: (ids) => api.fetchTasks(ids),
    submitAction: (req) => api.submitAction(req),
    submitModal: (req) => api.submitModal(req),
    submitImagine: (req) => api.submitImagine(req),
    submitDescribe: (req) => api.submitDescribe(req),
    submitBlend: (req) => api.submitBlend(req),
    submitShorten: (req) => api.submitShorten(req),
    submitVideo: (req) => api.submitVideo(req),
    ...(submitChange ? { submitChange } : {}),
    ...(fetchImageSeed ? { fetchImageSeed } : {}),
    ...(recentTasks ? { recentTasks } : {}),
    close: () => api.close(),
    async fetchTask(id) {
      if (!capabilities().fetchMayServeOlderRow) return api.fetchTask(id);
      const [fetched, listed] = await Promise.all([api.fetchTask(id), api.fetchTasks([id]).catch(() => [])]);
      return mostAdvancedPerId([fetched, ...listed.filter((t) => t.id === fetched.id)])[0] ?? fetched;
    },
  };
}

/** The operator's line about which server this is, and how the bot knows. */
export function describeDialectChoice(dialect: DialectChoice): { fields: Record<string, unknown>; message: string } {
  return {
    fields: { dialect: dialect.capabilities.dialect, source: dialect.source, evidence: dialect.evidence },
    message:
      dialect.source === 'undecided'
        ? 'Midjourney server not recognised: every button is shown as the API sends it (set MJ_API_DIALECT)'
        : `Midjourney server: ${dialect.capabilities.dialect} (${dialect.source === 'setting' ? 'MJ_API_DIALECT' : 'detected'})`,
  };
}
