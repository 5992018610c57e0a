import type { DatasetRecord, PricesFile } from '../datasets/dataset-record.js';
import { extractFeatures } from '../routing/extract-features.js';
import { toTextVector, type SparseVector } from '../routing/text-vector.js';
import type { TaskType } from '../spec/routing.js';

/** A dataset prompt ready for training and evaluation: features once, per-model quality and cost. */
export interface PreparedRecord {
  id: string;
  task: string;
  taskType: TaskType;
  inputTokens: number;
  vector: SparseVector;
  /** Quality per model in [0,1]; models with an unknown score are absent. */
  quality: Map<string, number>;
  /** Real USD cost per model: the dataset's own, else prices × tokens. */
  costUsd: Map<string, number>;
  /** Recorded output tokens per model, when the set has them. */
  outputTokens: Map<string, number>;
}

/** Output tokens when a set records none: a modest constant, stated in docs/routing.md. */
export const DEFAULT_OUTPUT_TOKENS = 256;

export const prepareRecords = (records: readonly DatasetRecord[], prices?: PricesFile): PreparedRecord[] =>
  records.map((r) => {
    const f = extractFeatures({ model: 'eval', messages: r.messages, stream: false, includeUsage: false });
    const quality = new Map<string, number>();
    const costUsd = new Map<string, number>();
    for (const [model, score] of Object.entries(r.scores)) {
      if (score === null) continue;
      quality.set(model, score);
      const real = r.costUsd?.[model];
      const price = prices?.[model];
      if (real !== undefined) costUsd.set(model, real);
      else if (price) {
        const out = r.outputTokens?.[model] ?? DEFAULT_OUTPUT_TOKENS;
        costUsd.set(model, (f.inputTokens * price.input_per_mtok + out * price.output_per_mtok) / 1e6);
      }
    }
    const outputTokens = new Map(Object.entries(r.outputTokens ?? {}));
    return { id: r.id, task: r.task, taskType: f.taskType, inputTokens: f.inputTokens, vector: toTextVector(f), quality, costUsd, outputTokens };
  });
