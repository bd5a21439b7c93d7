// Public types of the Midjourney API stand-in (test/support/mj). The stand-in imitates the proxy family:
// NZK/PLUS/FORK proxies ("proxy") and new-api style aggregators in front of them ("aggregator"), as a
// blend of them by default, or one real server exactly (DialectName).

export type Flavor = 'proxy' | 'aggregator';
/**
 * A real server the stand-in imitates (./dialects): the original Java proxy (novicezk), the trueai-org C#
 * fork, midjourney-proxy-plus, and the new-api aggregator (in front of a fork). Without one, the stand-in
 * keeps its generic behaviour, shaped by `flavor`, `authStyle` and `unknownIdShape`.
 */
export type DialectName = 'nzk' | 'fork' | 'plus' | 'newapi';
export type AuthStyle = 'bearer' | 'mj-api-secret' | 'both';
/** How an unknown task id is answered: NZK 200 + empty body, FORK 204, a plain 404, new-api 400 task_no_found. */
export type UnknownIdShape = 'empty200' | '204' | '404' | '400';
export type SubmitRoute =
  | 'imagine'
  | 'action'
  | 'modal'
  | 'change'
  | 'simple-change'
  | 'describe'
  | 'blend'
  | 'shorten';
export type ApiRoute = 'fetch' | 'list-by-condition' | 'list' | 'image-seed' | SubmitRoute;
/** `images` serves /images/… (and /videos/… for the fork's video results) without auth. */
export type RouteName = ApiRoute | 'images';

/** A task's life on the stand-in clock, measured from its start (submit, or the modal submit). */
export interface Timeline {
  /** Time spent queued ("0%"). */
  queuedMs: number;
  /** Status while queued: NZK/FORK show SUBMITTED once sent to Discord, NOT_START before. */
  queuedStatus: 'SUBMITTED' | 'NOT_START';
  /** Time spent IN_PROGRESS, split evenly over `progressSteps`. */
  runMs: number;
  /** Percentages shown while IN_PROGRESS, e.g. the Discord-like 0→15→31→46→62→78→93. */
  progressSteps: number[];
  outcome: 'SUCCESS' | 'FAILURE';
  /** failReason when the outcome is FAILURE. */
  failReason: string;
}

export interface MjButtonJson {
  customId: string;
  emoji: string;
  label: string;
  type: number;
  style: number;
}

/** Per-task knobs, for tasks inserted with createTask or the next tasks created by a submit (nextTask). */
export interface TaskOptions {
  timeline?: Partial<Timeline>;
  /** fetch/list-by-condition say "unknown id" for this long after submit (replication lag). */
  unknownForMs?: number;
  /** Pad the final PNG served under /images/<id>.png (or a video task's /videos/<id>.mp4) to this many bytes (upload-limit tests). */
  imageBytes?: number;
  /** Buttons on SUCCESS instead of the set generated for the task's action. */
  buttons?: MjButtonJson[];
  /** imageUrl on SUCCESS instead of <baseUrl>/images/<id>.png. */
  imageUrl?: string;
}

/**
 * A task inserted directly. `status` positions it on its timeline (SUBMITTED/NOT_START/"" = just
 * submitted, IN_PROGRESS = running at the step given by `progress`, SUCCESS/FAILURE = finished,
 * MODAL = waiting for /submit/modal); any other status is served as given (pinned).
 */
export interface TaskSeed extends TaskOptions {
  id?: string;
  action?: string;
  prompt?: string;
  state?: string;
  notifyHook?: string;
  status?: string;
  progress?: string;
  failReason?: string;
  outcome?: 'SUCCESS' | 'FAILURE' | 'MODAL';
}

/** Fields served verbatim on top of the computed task (either flavor) until patched again. */
export type TaskPatch = Record<string, unknown>;

export type MjFault =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html'; status?: number }
  | { kind: 'malformed' }
  | { kind: 'slow'; delayMs: number }
  /** Answered as usual once `until` settles (or the stand-in closes): a request kept in flight while the test acts. */
  | { kind: 'held'; until: Promise<unknown> }
  | { kind: 'unknownId'; shape: UnknownIdShape }
  | { kind: 'reset' }
  /**
   * For a task id: serves the task (fetch and list-by-condition) with `properties` nested this deep,
   * a JSON text that parses but that no recursive walk (JSON.stringify, a deep compare) survives.
   */
  | { kind: 'deepProperties'; depth: number }
  /**
   * A careless proxy that quotes the request back in its error: the auth headers it got (key included)
   * and the raw body (notifyHook included). `envelope` answers submit-style {code: 4, description};
   * otherwise {error: {message}} (json, default), plain text or an HTML page.
   */
  | { kind: 'echo'; status?: number; as?: 'json' | 'text' | 'html' | 'envelope' };

/** A fault target: a route, '*' for every API route, or a task id (its fetch and list-by-condition). */
export type FaultTarget = RouteName | '*' | (string & {});

/**
 * A forced submit answer. Codes 1, 21 and 22 still create the task (unless `result` names the clicked
 * task itself: then nothing starts); 3, 4, 9, 23, 24 and others do not.
 */
export interface ForcedSubmit {
  code: number;
  description?: string;
  properties?: Record<string, unknown>;
  result?: string | null;
  /** HTTP status of the answer (default 200). */
  httpStatus?: number;
  /** Code 22: the queue length put in the description and properties (default 1). */
  numberOfQueues?: number;
}

export interface RequestLogEntry {
  /** Stand-in clock time. */
  at: number;
  method: string;
  /** Path as received, with query string and prefix. */
  path: string;
  /** Route it matched, or null. */
  route: RouteName | null;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, the raw text if it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface HookDelivery {
  /** Stand-in clock time the state belongs to. */
  at: number;
  url: string;
  taskId: string;
  status: string;
  progress: string;
  /** HTTP status of the receiver, or null when unreachable. */
  httpStatus: number | null;
  error?: string;
}

export interface StandInClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** Server-side settings a test flips (setServerState); each acts only on the dialect named. */
export interface ServerState {
  /**
   * fork: the message of the LogicException its NewTask throws (daily/total/concurrency/queue limit,
   * temporary ban, service unavailable), e.g. "用户今日绘图次数已达上限"; null = none.
   */
  forkLimit: string | null;
  /** fork: guest mode (EnableGuest): a missing or wrong key is served as a guest instead of 401. */
  forkGuest: boolean;
  /** fork: EnableUserCustomUploadBase64 off: imagine's base64Array and describe's base64 are refused. */
  forkUploadsDisabled: boolean;
  /** newapi: the token's status; exhausted and expired answer 401 with new-api's own text. */
  tokenStatus: 'active' | 'exhausted' | 'expired';
  /** newapi: the token's model limits (mj_imagine, mj_upscale, …); null = no limits. */
  tokenModels: string[] | null;
}

export interface MjStandInOptions {
  /**
   * Imitate this real server (see DialectName). It decides auth, unknown ids, routes, error envelopes,
   * submit codes, buttons and task fields; `flavor`, `authStyle`, `unknownIdShape` and `listByCondition`
   * are then ignored.
   */
  dialect?: DialectName;
  apiKey?: string;
  authStyle?: AuthStyle;
  flavor?: Flavor;
  unknownIdShape?: UnknownIdShape;
  listByCondition?: boolean;
  clock?: { now(): number; advance?(ms: number): void; set?(ms: number): void };
  timeline?: Partial<Timeline>;
  /** Serve everything under this prefix, e.g. '/v1' → <origin>/v1/mj/task/…; baseUrl includes it. */
  pathPrefix?: string;
  /** Imagine prompts containing one of these words answer code 24 (proxy) or fail later (aggregator). */
  bannedWords?: string[];
  /** The account has Remix on: V/reroll/pan/vary become MODAL tasks (code 21; aggregator: 1). */
  remix?: boolean;
  /** Default for every submitted task. */
  unknownForMs?: number;
  /** new-api refresh period (default 15 s). */
  aggregatorRefreshMs?: number;
  /**
   * new-api drops notifyHook unless MjNotifyEnabled (Calcium-Ion/new-api service/midjourney.go L174-176);
   * set true to forward it (default false). The push then comes from the upstream, its own task JSON.
   */
  aggregatorForwardsNotifyHook?: boolean;
  /**
   * Options for a task a submit creates, chosen by its prompt at creation time (`now` on the stand-in
   * clock), when no nextTask options are queued: a benchmark gives every submitted task its planned timeline.
   */
  taskOptionsFor?: (prompt: string, now: number) => TaskOptions | undefined;
  /** Keep `requests` (default true). Benchmarks may turn it off; countRequests by route still works. */
  logRequests?: boolean;
  /** notifyHook posts in flight at once (default 10, like NZK's notifyPoolSize). */
  hookPoolSize?: number;
  /**
   * Serve painted 512×512 pictures under /images/… (grids, the upscaled tile, blurry previews; see
   * pictures.ts) instead of the 8×8 PNG, for screenshots. Default false.
   */
  pictures?: boolean;
}

export interface MjStandIn {
  /** <origin><pathPrefix>: what the bot is configured with. */
  readonly baseUrl: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly apiKey: string;
  readonly flavor: Flavor;
  /** The dialect given at creation, or null for the generic stand-in. */
  readonly dialect: DialectName | null;
  readonly clock: StandInClock;
  readonly requests: readonly RequestLogEntry[];
  readonly hookDeliveries: readonly HookDelivery[];
  /** What /fetch would serve now (flavor view, patches applied; ignores faults and unknownForMs). */
  task(id: string): Record<string, unknown> | undefined;
  createTask(seed?: TaskSeed): string;
  /** Store a fixture object and serve it verbatim (it may also be an action's parent). */
  addRawTask(json: Record<string, unknown>): string;
  setTask(id: string, patch: TaskPatch): void;
  nextSubmit(route: SubmitRoute, response: ForcedSubmit): void;
  /** The account's Remix mode, as an admin toggles it in Discord (/prefer remix). */
  setRemix(on: boolean): void;
  /** Limits and token state of the dialect's server (see ServerState). */
  setServerState(patch: Partial<ServerState>): void;
  /** Options for the next task a submit creates (queue, one per task). */
  nextTask(options: TaskOptions): void;
  fault(target: FaultTarget, fault: MjFault, times?: number): void;
  clearFaults(): void;
  /** Fire the hook posts due at the current clock time (advance/set do this themselves). */
  deliverDueHooks(): void;
  pushNow(taskId: string): Promise<HookDelivery>;
  pushRaw(url: string, body: unknown): Promise<{ status: number | null }>;
  /** Resolves when every hook post started so far has finished. */
  flushHooks(): Promise<void>;
  countRequests(route?: RouteName | (string & {})): number;
  /** Task ids asked about since the start (or clearRequests): a fetch asks one, a list-by-condition each distinct id. */
  countIdsAsked(): number;
  /** Ids asked about, how often one was asked again within ASKED_AGAIN_SOON_MS, and for how long each was asked. */
  askStats(): AskStats;
  /**
   * The base URL of another door (port) to this stand-in, the same server behind it: what comes
   * through it is counted as `caller`'s, so two pollers asking one id at once can be told from one
   * poller's own asks (AskStats.askedAgainSoonAcross).
   */
  baseUrlFor(caller: string): Promise<string>;
  clearRequests(): void;
  close(): Promise<void>;
}

/** How an id was asked about: a fetch of it, or in a list-by-condition's ids. */
export type AskVia = 'fetch' | 'list';

/** What polling cost per task, from the ids asked about (see RequestLog.askedAbout). */
export interface AskStats {
  idsAsked: number;
  /** Asks of an id within ASKED_AGAIN_SOON_MS of its previous ask: the id asked twice at once. */
  askedAgainSoon: number;
  /** askedAgainSoon by how the two asks came, e.g. "list→fetch". */
  askedAgainSoonBy: Record<string, number>;
  /** Of askedAgainSoon, those whose previous ask came from another caller (see MjStandIn.baseUrlFor): two pollers. */
  askedAgainSoonAcross: number;
  distinctIds: number;
  /** Σ over ids of (last ask − first ask): the time the tasks were followed, as the API saw it. */
  followedMs: number;
}
