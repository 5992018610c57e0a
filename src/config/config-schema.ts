import { z } from 'zod';
import { DEFAULT_TIER } from '../spec/routing.js';

/**
 * The YAML config file, strict: an unknown key is an error (a typo must not be silently ignored).
 * Types come from z.infer; there is no hand-written copy of this shape.
 */

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

const providerSchema = z.strictObject({
  /** openai: any OpenAI-compatible upstream (OpenAI, Azure, vLLM, Ollama, Together, Groq…). */
  kind: z.enum(['openai', 'anthropic', 'simulator']),
  baseUrl: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  apiVersion: z.string().optional(),
  authHeader: z.enum(['bearer', 'api-key', 'x-api-key']).optional(),
  connections: positiveInt.optional(),
  /** Simulator only: multiply simulated latency (0 = instant). */
  latencyScale: nonNegative.optional(),
  /** Simulator only: routing dataset whose real outcomes the simulated models answer with. */
  dataset: z.string().optional(),
}).refine((p) => p.kind === 'simulator' || p.baseUrl !== undefined, { message: 'required for kind openai and anthropic', path: ['baseUrl'] });

/** Requests and tokens per minute, as token buckets holding one minute's worth (so a burst of a full minute is allowed). */
const limitSchema = z
  .strictObject({
    /** Requests per minute. */
    rpm: positiveInt.optional(),
    /** Tokens per minute (prompt + max output reserved up front, corrected by the real usage). */
    tpm: positiveInt.optional(),
  })
  .refine((l) => l.rpm !== undefined || l.tpm !== undefined, { message: 'give rpm, tpm or both' });

/** A spend cap in USD per calendar period (UTC). */
const budgetAmountSchema = z.strictObject({
  usd: z.number().positive(),
  period: z.enum(['day', 'month']).default('month'),
});

const budgetSchema = z
  .strictObject({
    /** Whose spend: exactly one of a tenant id, an API key id, or a tag `name=value`. */
    tenant: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    tag: z.string().regex(/^[^=,\s]+=[^,]+$/, 'expected name=value').optional(),
    usd: z.number().positive(),
    period: z.enum(['day', 'month']).default('month'),
  })
  .refine((b) => [b.tenant, b.key, b.tag].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of tenant, key or tag' });

const pricesSchema = z.strictObject({
  /** USD per 1M input tokens. */
  input: nonNegative,
  /** USD per 1M output tokens. */
  output: nonNegative,
  /** USD per 1M cached input tokens (defaults to input). */
  cachedInput: nonNegative.optional(),
  /** USD per 1M cache-write input tokens (defaults to input). */
  cacheWrite: nonNegative.optional(),
  /** Flat USD per request. */
  perRequest: nonNegative.default(0),
});

/**
 * Model ids and route names go out in the x-switchyard-model / -target / -route response headers:
 * printable ASCII only (a header value cannot carry other characters), checked here rather than
 * failing on the first request.
 */
const headerSafeName = z.string().min(1).regex(/^[!-~]+(?: [!-~]+)*$/, 'use printable ASCII (letters, digits, punctuation, single inner spaces): it is sent in x-switchyard-* response headers');

const modelSchema = z.strictObject({
  id: headerSafeName,
  provider: z.string().min(1),
  /** Name the provider knows the model by (default: id). */
  upstreamModel: z.string().min(1).optional(),
  prices: pricesSchema,
  contextWindow: positiveInt.default(8192),
  maxOutputTokens: positiveInt.default(4096),
  capabilities: z
    .strictObject({
      tools: z.boolean().default(false),
      vision: z.boolean().default(false),
      jsonMode: z.boolean().default(false),
      streaming: z.boolean().default(true),
    })
    .prefault({}),
  latency: z
    .strictObject({ ttftMs: nonNegative.default(500), tokensPerSecond: z.number().positive().default(50) })
    .prefault({}),
  /** The provider's quota for this model, shared by every target of it: a target at its limit is skipped. */
  limits: limitSchema.optional(),
});

const targetParamsSchema = z.strictObject({
  maxTokens: positiveInt.optional(),
  temperature: z.number().min(0).max(2).optional(),
  reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
});

const targetSchema = z.union([
  z.string().min(1),
  z.strictObject({
    model: z.string().min(1),
    /** Distinguishes two targets of one model with different settings: id becomes `model@label`. */
    label: z.string().regex(/^[\w.-]+$/).optional(),
    params: targetParamsSchema.default({}),
  }),
]);

const routeSchema = z.strictObject({
  name: headerSafeName,
  targets: z.array(targetSchema).min(1),
  /** Routing policy (see docs/routing.md); validated by the routing module's own schema. */
  policy: z.record(z.string(), z.unknown()).default({ type: 'fixed' }),
  /** Target ids tried, in order, after the policy's own order is exhausted. */
  fallbacks: z.array(z.string()).default([]),
  /** Honour a `x-switchyard-model` / explicit catalog model asked by the client. */
  allowModelOverride: z.boolean().default(true),
});

const keySchema = z.strictObject({
  id: z.string().min(1),
  /** `sha256:<hex>` of the key. Prefer this: the key itself never sits in the file. */
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex chars>').optional(),
  /** The key itself (usually `${ENV_VAR}`); hashed at load and never kept in memory in clear. */
  key: z.string().min(16, 'keys must be at least 16 characters').optional(),
  limits: limitSchema.optional(),
  budget: budgetAmountSchema.optional(),
}).refine((k) => (k.hash === undefined) !== (k.key === undefined), { message: 'give exactly one of hash or key' });

const tenantSchema = z.strictObject({
  id: z.string().regex(/^[\w.-]+$/),
  tier: z.string().default(DEFAULT_TIER),
  keys: z.array(keySchema).default([]),
  /** Default tags for this tenant's requests (a header may add to them). */
  tags: z.record(z.string(), z.string()).default({}),
  limits: limitSchema.optional(),
  budget: budgetAmountSchema.optional(),
});

const metricSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/),
  kind: z.enum(['boolean', 'float']),
  higherIsBetter: z.boolean().default(true),
  /** Float metrics: the values accepted, mapped linearly onto quality [0,1]. */
  range: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => hi > lo, 'range must be [min, max] with max > min').default([0, 1]),
});

const DEFAULT_METRICS = [
  { name: 'score', kind: 'float' }, { name: 'thumbs', kind: 'boolean' }, { name: 'accepted', kind: 'boolean' },
  // Implicit signals (src/learning/implicit-signals.ts) report on these.
  { name: 'regenerated', kind: 'boolean', higherIsBetter: false }, { name: 'json_valid', kind: 'boolean' },
  { name: 'truncated', kind: 'boolean', higherIsBetter: false }, { name: 'provider_error', kind: 'boolean', higherIsBetter: false },
] as const;

/** The learning loop: feedback, implicit signals, online updates (docs/learning.md). */
/** Sampled LLM-as-judge (docs/learning.md): grades a share of answers off the request path, under its own budget. */
const judgeSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Catalog model that grades, called through its provider adapter. */
    model: z.string().min(1).optional(),
    /** Prompt template with {question} and {answer}; default: a 1–10 grade (src/learning/judge-rubric.ts). */
    rubric: z.string().min(1).optional(),
    scale: z.strictObject({ min: z.number(), max: z.number() }).refine((s) => s.max > s.min, 'max must exceed min').default({ min: 1, max: 10 }),
    /** Declared metric the normalised grade is recorded on (source `judge`). */
    metric: z.string().default('score'),
    /** Probability of judging an answer by request rate: the first step whose upToPerMinute is not exceeded applies. */
    sampling: z
      .array(z.strictObject({ upToPerMinute: positiveInt.optional(), rate: z.number().min(0).max(1) }))
      .min(1)
      .default([{ upToPerMinute: 60, rate: 1 }, { upToPerMinute: 600, rate: 0.2 }, { rate: 0.02 }]),
    budgetUsdPerDay: nonNegative.default(1),
    queueSize: positiveInt.default(1_000),
    concurrency: positiveInt.default(2),
    maxTokens: positiveInt.default(16),
    timeoutMs: positiveInt.default(30_000),
  })
  .refine((j) => !j.enabled || j.model !== undefined, { message: 'required when the judge is enabled', path: ['model'] })
  .prefault({});

/** The quality estimator (`switchyard estimator train`): scores sampled answers, serves as the cascade scorer `estimator`. */
const estimatorSchema = z
  .strictObject({
    /** Estimator file; unset = no estimator. */
    path: z.string().min(1).optional(),
    /** Share of answered requests it scores (its predictions are weak `estimator` feedback). */
    sampleRate: z.number().min(0).max(1).default(1),
    metric: z.string().default('score'),
    /**
     * Step size of the online updates from people's and the judge's later verdicts on scored answers
     * (0: the estimator stays as trained). In memory, per replica: `switchyard estimator train` still
     * makes the persisted estimator.
     */
    onlineLearningRate: z.number().min(0).max(1).default(0.02),
  })
  .prefault({});

const learningSchema = z.strictObject({
  metrics: z.array(metricSchema).min(1).default(DEFAULT_METRICS.map((m) => metricSchema.parse(m))),
  /** Feedback arriving later than this after its decision is stored as `too_late` and not learned from. */
  feedbackWindowMs: positiveInt.default(7 * 24 * 3_600_000),
  /** How much a piece of feedback counts in the online updates, by source. */
  sourceWeights: z
    .strictObject({ user: nonNegative.default(1), implicit: nonNegative.default(0.5), judge: nonNegative.default(0.5), estimator: nonNegative.default(0.25) })
    .prefault({}),
  /** Reward = quality − lambda · cost in USD; a tenant's cost target overrides it. */
  lambda: nonNegative.default(100),
  lambdaByTenant: z.record(z.string(), nonNegative).default({}),
  /**
   * λ follows the budget of a tenant that has one: × (share of the budget spent ÷ share of its period
   * gone), read from the ledger every `refreshMs`, clamped to [minFactor, maxFactor].
   */
  budgetPacing: z
    .strictObject({
      enabled: z.boolean().default(true),
      refreshMs: positiveInt.default(60_000),
      minFactor: z.number().positive().max(1).default(0.25),
      maxFactor: z.number().min(1).default(4),
      /** The first share of a period counts as this share (an early hour's pace is noise). */
      warmup: z.number().positive().max(1).default(0.05),
    })
    .prefault({}),
  /** Decisions kept in memory to join delayed feedback without a database read (oldest evicted). */
  pendingDecisions: positiveInt.default(100_000),
  pendingTtlMs: positiveInt.default(24 * 3_600_000),
  /**
   * A request repeating a conversation within this window marks the earlier answer `regenerated`
   * (0: no such signal — e.g. a replay that samples prompts with replacement is not regenerating).
   */
  retryWindowMs: z.number().int().nonnegative().default(120_000),
  /**
   * A repeat sooner than this after the earlier request is a machine (a batch client, a load test,
   * a client-side retry), not a person who read the answer and asked again: no `regenerated` signal.
   */
  retryMinGapMs: z.number().int().nonnegative().default(1_000),
  /** A policy version snapshot is stored after this many online updates. */
  snapshotEvery: positiveInt.default(1_000),
  /** Drift windows in a row before a full retrain is requested. */
  retrainAfterDriftWindows: positiveInt.default(3),
  failureMemory: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxPerTenant: positiveInt.default(64),
      /** Cosine similarity (hashed n-grams) above which a query counts as similar to a bad one. */
      similarity: z.number().min(0).max(1).default(0.8),
      ttlMs: positiveInt.default(7 * 24 * 3_600_000),
      /**
       * Neighbour outcomes the policy's own P(quality) counts as: a target that failed on an
       * identical query is expected to reach P·w/(w + 1); an escalation must pay for itself at λ.
       */
      priorWeight: z.number().positive().default(1),
    })
    .prefault({}),
  judge: judgeSchema,
  estimator: estimatorSchema,
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      bodyLimitBytes: positiveInt.default(8 * 1024 * 1024),
      maxMessages: positiveInt.default(4096),
      /** ms to drain in-flight requests on SIGTERM. */
      shutdownGraceMs: positiveInt.default(15_000),
    })
    .prefault({}),
  ledger: z
    .strictObject({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
      path: z.string().default('./switchyard.db'),
      url: z.string().optional(),
      flushIntervalMs: positiveInt.default(250),
      maxBatch: positiveInt.default(500),
      /**
       * SQLite: nice value of the writer thread while it keeps up (0–19; 0 = same as requests). It
       * returns to normal priority when it falls behind; lowered only where that return is allowed
       * (root or CAP_SYS_NICE, Linux).
       */
      writerNice: z.number().int().min(0).max(19).default(19),
      /**
       * SQLite: the writer thread also runs under SCHED_IDLE while it keeps up (Linux, with util-linux
       * `chrt` and the right to undo it; else nice alone), and under SCHED_OTHER again when it falls behind.
       */
      writerIdle: z.boolean().default(true),
    })
    .refine((l) => l.driver !== 'postgres' || l.url !== undefined, { message: 'required when ledger.driver is postgres', path: ['url'] })
    .prefault({}),
  /** Where limits, budgets, breakers and shared statistics live: this process, or one Redis for all replicas. */
  state: z
    .strictObject({
      driver: z.enum(['memory', 'redis']).default('memory'),
      url: z.string().optional(),
      /** Every key starts with this (several gateways on one Redis; `{…}` hash tag for Redis Cluster). */
      keyPrefix: z.string().min(1).default('switchyard:'),
      /** Redis unreachable: `open` serves on local limits and budgets, `closed` answers 503 to limited or budgeted requests. */
      failMode: z.enum(['open', 'closed']).default('open'),
      /** How often shared statistics are sent to and read from Redis. */
      syncIntervalMs: positiveInt.default(200),
    })
    .refine((s) => s.driver !== 'redis' || s.url !== undefined, { message: 'state.url is required when state.driver is redis', path: ['url'] })
    .prefault({}),
  /** Defaults for keys and tenants that declare no `limits` of their own. */
  limits: z
    .strictObject({ perKey: limitSchema.optional(), perTenant: limitSchema.optional() })
    .prefault({}),
  /** Spend caps by tenant, key or tag (tenants and keys may also carry a `budget`). */
  budgets: z.array(budgetSchema).default([]),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
  execution: z
    .strictObject({
      maxAttemptsPerTarget: positiveInt.default(2),
      maxTargets: positiveInt.default(4),
      backoffBaseMs: nonNegative.default(100),
      backoffMaxMs: nonNegative.default(2_000),
      /** A Retry-After longer than this is not waited for: the next target is tried instead. */
      maxRetryAfterMs: nonNegative.default(5_000),
      ttftTimeoutMs: positiveInt.default(30_000),
      stallTimeoutMs: positiveInt.default(30_000),
      attemptTimeoutMs: positiveInt.default(120_000),
      totalTimeoutMs: positiveInt.default(300_000),
    })
    .refine((e) => e.backoffBaseMs <= e.backoffMaxMs, { message: 'must not exceed execution.backoffMaxMs', path: ['backoffBaseMs'] })
    .prefault({}),
  breaker: z
    .strictObject({
      failureThreshold: positiveInt.default(5),
      cooldownMs: positiveInt.default(30_000),
    })
    .prefault({}),
  auth: z
    .strictObject({
      adminKeys: z.array(keySchema).default([]),
    })
    .prefault({}),
  providers: z.record(z.string().regex(/^[\w.-]+$/), providerSchema).default({}),
  models: z.array(modelSchema).default([]),
  routes: z.array(routeSchema).default([]),
  tenants: z.array(tenantSchema).default([]),
  learning: learningSchema.prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type KeyConfig = z.infer<typeof keySchema>;
export type LimitConfig = z.infer<typeof limitSchema>;
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type LearningConfig = z.infer<typeof learningSchema>;
export type MetricConfig = z.infer<typeof metricSchema>;
