/** Prices are in micro-USD per token-million units kept as numbers of USD per 1M tokens in config. */
export interface ModelPrices {
  /** USD per 1M input tokens. */
  inputPerMtok: number;
  /** USD per 1M output tokens (reasoning tokens are billed as output). */
  outputPerMtok: number;
  /** USD per 1M cached input tokens read (defaults to the input price when unknown). */
  cachedInputPerMtok: number;
  /** USD per 1M input tokens written to the cache (defaults to the input price). */
  cacheWritePerMtok: number;
  /** Flat USD fee per request. */
  perRequest: number;
}

export interface ModelCapabilities {
  tools: boolean;
  vision: boolean;
  jsonMode: boolean;
  streaming: boolean;
}

/** Latency priors used until live statistics exist. */
export interface LatencyPrior {
  ttftMs: number;
  tokensPerSecond: number;
}

export interface ModelSpec {
  /** Catalog id, e.g. `gpt-4o-mini`. */
  id: string;
  /** Name of the provider (config key) that serves it. */
  provider: string;
  /** Model name the provider expects. */
  upstreamModel: string;
  prices: ModelPrices;
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: ModelCapabilities;
  latency: LatencyPrior;
}

/** Generation settings a target pins (a candidate is a model *with* its settings). */
export interface TargetParams {
  maxTokens?: number;
  temperature?: number;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
}

/** One routable target: a catalog model plus generation settings. */
export interface Target {
  /** Stable id, `model` or `model@label` when params are pinned. */
  id: string;
  model: ModelSpec;
  params: TargetParams;
}
