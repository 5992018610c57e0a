/**
 * A small routing set where the right model is predictable from the text: every third prompt is a
 * hard proof only `large` gets right; the rest are translations both get right, and `small`
 * costs 1% of `large`.
 */
export const syntheticRoutingSet = (n = 600): string => {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const hard = i % 3 === 0;
    const text = hard ? `Prove the theorem about prime number ${i} step by step` : `Translate the word number ${i} into French`;
    lines.push(JSON.stringify({
      id: `q${i}`, task: hard ? 'proof' : 'translate', messages: [{ role: 'user', content: text }],
      scores: { small: hard ? 0 : 1, large: 1 }, cost_usd: { small: 0.0001, large: 0.01 },
    }));
  }
  return lines.join('\n');
};
