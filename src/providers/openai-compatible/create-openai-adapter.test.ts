import { runAdapterConformance } from '../adapter-conformance.js';
import { createOpenAIAdapter } from './create-openai-adapter.js';

runAdapterConformance({ kind: 'openai', create: (settings) => createOpenAIAdapter('sim-openai', settings) });
