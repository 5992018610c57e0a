/**
 * A small routing set where the right model is predictable from the text: every third prompt is a
 * hard proof only `large` gets right; the rest are translations both get right, and `small`
 * costs 1% of `large`. With `responses`, each model's answer text is recorded too, and small's
 * wrong answers read like it (a hedge), as an answer scorer can learn.
 */
export const syntheticRoutingSet = (n = 600, { responses = false } = {}): string => {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const hard = i % 3 === 0;
    const text = hard ? `Prove the theorem about prime number ${i} step by step` : `Translate the word number ${i} into French`;
    lines.push(JSON.stringify({
      id: `q${i}`, task: hard ? 'proof' : 'translate', messages: [{ role: 'user', content: text }],
      scores: { small: hard ? 0 : 1, large: 1 }, cost_usd: { small: 0.0001, large: 0.01 },
      ...(responses ? { responses: {
        small: hard ? `I am not sure how to prove it, maybe it holds for ${i}.` : `Le mot numéro ${i}.`,
        large: hard ? `Proof: assume the contrary for ${i}; then a smaller prime divides it, a contradiction. QED.` : `Le mot numéro ${i}.`,
      } } : {}),
    }));
  }
  return lines.join('\n');
};
