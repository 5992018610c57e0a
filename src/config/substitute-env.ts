import { formatPath } from './config-error.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A field that is one reference and nothing else (`port: ${PORT}`) takes the value's YAML type,
 * as if it had been written in the file: a number or a boolean where the schema wants one. Any
 * other text stays a string. The paths so typed are collected: where the schema wants a string
 * after all (a key of digits), buildConfig puts the text back.
 */
const typedScalar = (value: string): string | number | boolean => {
  if (NUMBER.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
};

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
  typed: PropertyKey[][] = [],
): unknown => {
  if (typeof node === 'string') {
    const out = node.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      issues.push(`${formatPath(path) || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
    if (!WHOLE_REFERENCE.test(node)) return out;
    const value = typedScalar(out);
    if (typeof value !== 'string') typed.push(path);
    return value;
  }
  if (Array.isArray(node)) return node.map((item, i) => substituteEnv(item, env, issues, [...path, i], typed));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = substituteEnv(value, env, issues, [...path, key], typed);
    return out;
  }
  return node;
};
