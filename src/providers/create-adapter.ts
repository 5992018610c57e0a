import type { ProviderSettings } from '../spec/provider.js';
import { createAnthropicAdapter } from './anthropic/create-anthropic-adapter.js';
import type { HttpAdapter } from './create-http-adapter.js';
import { createOpenAIAdapter } from './openai-compatible/create-openai-adapter.js';

/**
 * Adapter factories by protocol kind. OpenAI-compatible servers (Azure, vLLM, Ollama, Together,
 * Groq…) are all `openai` with their own settings; the simulator speaks both protocols.
 */
const FACTORIES = {
  openai: (name: string, settings: ProviderSettings) => createOpenAIAdapter(name, settings),
  anthropic: (name: string, settings: ProviderSettings) => createAnthropicAdapter(name, settings),
} as const satisfies Record<string, (name: string, settings: ProviderSettings) => HttpAdapter>;

export type AdapterKind = keyof typeof FACTORIES;

export const ADAPTER_KINDS = Object.keys(FACTORIES) as readonly AdapterKind[];

export const isAdapterKind = (kind: string): kind is AdapterKind => Object.hasOwn(FACTORIES, kind);

/** The adapter for a provider entry of the config: `kind` picks the protocol, `name` labels errors. */
export const createAdapter = (kind: AdapterKind, name: string, settings: ProviderSettings): HttpAdapter => FACTORIES[kind](name, settings);
