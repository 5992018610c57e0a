import { runAdapterConformance } from '../adapter-conformance.js';
import { createAnthropicAdapter } from './create-anthropic-adapter.js';

runAdapterConformance({ kind: 'anthropic', create: (settings) => createAnthropicAdapter('sim-anthropic', settings) });
