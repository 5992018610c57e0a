import type { ConfigInput } from './config-schema.js';

/**
 * The embedded default, used when no config file is given: the in-process provider simulator as
 * the only upstream, serving the eleven RouterBench models at their list prices (the prices the
 * RouterBench authors billed, so simulated spend matches the dataset's real per-prompt cost).
 * It needs no API key, database server or network.
 */
const ROUTERBENCH_MODELS: ReadonlyArray<[id: string, input: number, output: number, context: number, ttftMs: number, tps: number]> = [
  ['gpt-4-1106-preview', 10, 30, 128_000, 600, 35],
  ['gpt-3.5-turbo-1106', 1, 2, 16_385, 250, 90],
  ['claude-v2', 8, 24, 100_000, 700, 40],
  ['claude-v1', 8, 24, 100_000, 700, 40],
  ['claude-instant-v1', 0.8, 2.4, 100_000, 350, 90],
  ['meta/llama-2-70b-chat', 0.9, 0.9, 4_096, 300, 45],
  ['meta/code-llama-instruct-34b-chat', 0.776, 0.776, 16_384, 250, 55],
  ['mistralai/mixtral-8x7b-chat', 0.6, 0.6, 32_768, 200, 80],
  ['mistralai/mistral-7b-chat', 0.2, 0.2, 32_768, 120, 120],
  ['zero-one-ai/Yi-34B-Chat', 0.8, 0.8, 4_096, 250, 50],
  ['WizardLM/WizardLM-13B-V1.2', 0.3, 0.3, 4_096, 150, 90],
];

export const defaultConfigTree = (): ConfigInput => ({
  providers: { simulator: { kind: 'simulator', latencyScale: 1 } },
  models: ROUTERBENCH_MODELS.map(([id, input, output, contextWindow, ttftMs, tokensPerSecond]) => ({
    id,
    provider: 'simulator',
    prices: { input, output },
    contextWindow,
    maxOutputTokens: 4096,
    capabilities: { tools: true, vision: id.startsWith('gpt-4'), jsonMode: id.startsWith('gpt'), streaming: true },
    latency: { ttftMs, tokensPerSecond },
  })),
  routes: [
    {
      // Cheapest capable model by default; stronger ones for hard requests and premium tenants.
      name: 'auto',
      targets: ['mistralai/mixtral-8x7b-chat', 'gpt-3.5-turbo-1106', 'claude-instant-v1', 'mistralai/mistral-7b-chat', 'meta/code-llama-instruct-34b-chat', 'gpt-4-1106-preview'],
      policy: {
        type: 'rules',
        rules: [
          { name: 'premium', when: { tier: ['premium'] }, targets: ['gpt-4-1106-preview'] },
          { name: 'code', when: { code: true }, targets: ['gpt-4-1106-preview', 'meta/code-llama-instruct-34b-chat'] },
          { name: 'hard', when: { reasoning: true }, targets: ['gpt-4-1106-preview'] },
          { name: 'simple', when: { taskType: ['classification', 'extraction', 'translation', 'sentiment'] }, targets: ['mistralai/mistral-7b-chat'] },
        ],
      },
      fallbacks: ['gpt-3.5-turbo-1106', 'claude-instant-v1'],
    },
    {
      name: 'cheap',
      targets: ['mistralai/mistral-7b-chat', 'mistralai/mixtral-8x7b-chat', 'gpt-3.5-turbo-1106'],
      policy: { type: 'fixed' },
    },
    {
      name: 'best',
      targets: ['gpt-4-1106-preview', 'claude-v2', 'gpt-3.5-turbo-1106'],
      policy: { type: 'fixed' },
    },
    {
      // Cheapest first; an empty, refused, truncated or non-JSON (in JSON mode) answer escalates.
      // GPT-4 appears twice: capped at 256 output tokens (cheaper, may truncate) and uncapped.
      name: 'cascade',
      targets: [
        'mistralai/mistral-7b-chat', 'mistralai/mixtral-8x7b-chat',
        { model: 'gpt-4-1106-preview', label: 'short', params: { maxTokens: 256 } }, 'gpt-4-1106-preview',
      ],
      policy: { type: 'cascade' },
    },
  ],
});
