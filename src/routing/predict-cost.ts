/** What the artefact learned about a model's cost on train. */
export interface CostModel {
  /** USD per input token, overall and per detected task type (the answer's cost folded in). */
  costPerInputToken: number;
  costPerInputTokenByTask: ReadonlyMap<string, number>;
  /** Per prompt group (src/routing/prompt-clusters.ts): USD = perPrompt + perInputToken × input tokens (null: too few train prompts there). */
  costByCluster?: ReadonlyArray<CostLine | null>;
}

export interface CostLine {
  perPrompt: number;
  perInputToken: number;
}

/**
 * The learned USD of a prompt on a model. In its cluster, a line in the prompt's tokens: the
 * intercept is the answer (its length depends on the kind of prompt — code against multiple
 * choice — far more than on the prompt's length), the slope the input price. Clusters are learned
 * from the prompts, so they separate kinds of prompt better than the regex task type, whose
 * per-token rate is the fallback, then the model's overall rate. `eval` and the gateway both
 * price through this.
 */
export const learnedCostUsd = (m: CostModel, taskType: string, cluster: number, inputTokens: number): number => {
  const tokens = Math.max(1, inputTokens);
  const line = cluster >= 0 ? m.costByCluster?.[cluster] : undefined;
  if (line) return line.perPrompt + line.perInputToken * tokens;
  return (m.costPerInputTokenByTask.get(taskType) ?? m.costPerInputToken) * tokens;
};
