import { formatPath } from './config-error.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML tree.
 * Secrets stay out of the file this way. A missing variable without a default is an issue
 * naming the field's path — never a silent empty string that would fail later at a provider.
 */
export const substituteEnv = (
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
  path: PropertyKey[] = [],
): unknown => {
  if (typeof node === 'string') {
    return node.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      issues.push(`${formatPath(path) || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => substituteEnv(item, env, issues, [...path, i]));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = substituteEnv(value, env, issues, [...path, key]);
    return out;
  }
  return node;
};
