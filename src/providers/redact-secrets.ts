import type { ProviderSettings } from '../spec/provider.js';

/** Shorter values are too likely to be ordinary words to be worth hiding (and never real keys). */
const MIN_SECRET_LENGTH = 8;

/**
 * Some upstreams echo the credentials they received in error bodies ("Incorrect API key provided:
 * sk-…"). Those bodies become client-facing error messages and log lines, so every credential we
 * send (the API key and configured header values) is masked out of them first.
 */
export const createSecretRedactor = (settings: ProviderSettings): ((text: string) => string) => {
  const secrets = [settings.apiKey, ...Object.values(settings.headers ?? {})].filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  };
};
