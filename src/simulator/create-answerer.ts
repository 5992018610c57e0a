import type { ChatRequest, FinishReason, ToolCall, ToolDefinition } from '../spec/chat.js';
import { promptKey, type DatasetRecord } from '../datasets/dataset-record.js';
import type { TokenCounter } from './create-token-counter.js';
import { exampleFromSchema } from './example-from-schema.js';

export interface SimAnswer {
  text: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  outputTokens: number;
  /** The model's score on this prompt in the dataset, when known. */
  score: number | undefined;
}

export interface Answerer {
  answer(modelId: string, req: ChatRequest, outputBudget: number, toolIdPrefix: string): SimAnswer;
}

const FILLER = ['the', 'answer', 'depends', 'on', 'context', 'but', 'in', 'short', 'it', 'is', 'likely', 'fine', 'and', 'we', 'can', 'check', 'more', 'details', 'later'];

const hashOf = (text: string): number => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

const lastUserText = (key: string): string => key.trimEnd().split('\n').at(-1) ?? '';

/** Deterministic prose: names the model, echoes the question's opening, pads with filler to a model-specific length. */
const syntheticText = (modelId: string, key: string): string => {
  const h = hashOf(`${modelId}\n${key}`);
  const echo = lastUserText(key).split(/\s+/).filter(Boolean).slice(0, 12);
  const words = [`Simulated answer from ${modelId}.`, ...(echo.length > 0 ? ['You', 'asked:', ...echo, '—'] : [])];
  const target = words.length + 8 + (h % 40);
  for (let i = 0; words.length < target; i++) words.push(FILLER[(h + i * 7) % FILLER.length] as string);
  return `${words.join(' ')}.`;
};

const pickTool = (req: ChatRequest): ToolDefinition | undefined => {
  const tools = req.tools;
  const choice = req.toolChoice;
  if (!tools || tools.length === 0 || choice === 'none') return undefined;
  if (typeof choice === 'object') return tools.find((t) => t.function.name === choice.function.name);
  // With `auto`, answer in text once a tool result came back, so that agent loops terminate.
  if (choice !== 'required' && req.messages.at(-1)?.role === 'tool') return undefined;
  return tools[0];
};

const applyStop = (text: string, stop: readonly string[] | undefined): string => {
  let cut = text.length;
  for (const s of stop ?? []) {
    const at = s === '' ? -1 : text.indexOf(s);
    if (at >= 0 && at < cut) cut = at;
  }
  return text.slice(0, cut);
};

const synthetic = (modelId: string, req: ChatRequest, key: string): string => {
  const format = req.responseFormat;
  if (format?.type === 'json_object') return JSON.stringify({ answer: syntheticText(modelId, key) });
  if (format?.type === 'json_schema') return JSON.stringify(exampleFromSchema(format.json_schema.schema ?? { type: 'object' }));
  return applyStop(syntheticText(modelId, key), req.stop);
};

/**
 * Answers for simulated models. A prompt found in the dataset gets that model's real response
 * (or a text saying whether it got it right) and its real output length; any other prompt gets
 * a deterministic synthetic answer that honours tools, response_format, stop and max_tokens.
 */
export const createAnswerer = (dataset: readonly DatasetRecord[], counter: TokenCounter): Answerer => {
  const index = new Map<string, DatasetRecord>();
  for (const r of dataset) if (!index.has(promptKey(r.messages))) index.set(promptKey(r.messages), r);

  const fromDataset = (modelId: string, r: DatasetRecord, budget: number): SimAnswer => {
    const score = r.scores[modelId] ?? undefined;
    const verdict = score === undefined ? 'an unscored' : score >= 0.5 ? 'a correct' : 'an incorrect';
    let text = r.responses?.[modelId] ?? `Simulated ${verdict} answer from ${modelId} to ${r.id} (score ${score ?? 'unknown'}).`;
    let outputTokens = r.outputTokens?.[modelId] ?? counter.count(text);
    if (outputTokens <= budget) return { text, finishReason: 'stop', outputTokens, score };
    if (counter.count(text) > budget) text = counter.truncate(text, budget);
    outputTokens = budget;
    return { text, finishReason: 'length', outputTokens, score };
  };

  const answer: Answerer['answer'] = (modelId, req, budget, toolIdPrefix) => {
    const key = promptKey(req.messages);
    const record = index.get(key);
    if (record !== undefined) return fromDataset(modelId, record, budget);
    const tool = pickTool(req);
    if (tool !== undefined) {
      const args = JSON.stringify(exampleFromSchema(tool.function.parameters ?? { type: 'object' }));
      const id = `${toolIdPrefix}${hashOf(modelId + key).toString(36)}`;
      const toolCalls: ToolCall[] = [{ id, type: 'function', function: { name: tool.function.name, arguments: args } }];
      return { text: '', toolCalls, finishReason: 'tool_calls', outputTokens: 5 + counter.count(tool.function.name + args), score: undefined };
    }
    const text = synthetic(modelId, req, key);
    const tokens = counter.count(text);
    if (tokens <= budget) return { text, finishReason: 'stop', outputTokens: tokens, score: undefined };
    return { text: counter.truncate(text, budget), finishReason: 'length', outputTokens: budget, score: undefined };
  };
  return { answer };
};
