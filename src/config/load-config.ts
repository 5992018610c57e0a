import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configSchema } from './config-schema.js';
import { ConfigError, formatPath, issueText } from './config-error.js';
import { substituteEnv } from './substitute-env.js';
import { resolveConfig, type ResolvedConfig } from './resolve-config.js';

type Tree = Record<PropertyKey, unknown>;
const getAt = (tree: unknown, path: readonly PropertyKey[]): unknown => path.reduce<unknown>((node, key) => (node as Tree)[key], tree);
const setAt = (tree: unknown, path: readonly PropertyKey[], value: unknown): void => {
  const parent = getAt(tree, path.slice(0, -1)) as Tree;
  parent[path[path.length - 1] as PropertyKey] = value;
};

/** Validates an already-parsed config tree (YAML or an object built in code). */
export const buildConfig = (
  tree: unknown,
  source: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedConfig => {
  const issues: string[] = [];
  const typed: PropertyKey[][] = [];
  const substituted = substituteEnv(tree ?? {}, env, issues, [], typed);
  if (issues.length > 0) throw new ConfigError(source, issues);
  let parsed = configSchema.safeParse(substituted);
  if (!parsed.success) {
    // `${VAR}` read as a number or boolean where the schema wants a string after all: its text.
    const back = parsed.error.issues.filter((i) => i.code === 'invalid_type' && i.expected === 'string' && typed.some((p) => formatPath(p) === formatPath(i.path)));
    for (const i of back) setAt(substituted, i.path, String(getAt(substituted, i.path)));
    if (back.length > 0) parsed = configSchema.safeParse(substituted);
  }
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map(issueText),
    );
  }
  const resolved = resolveConfig(parsed.data, issues, source);
  // Files the config names are checked here, so `config check` finds what start-up would.
  for (const [name, p] of Object.entries(parsed.data.providers)) {
    if (p.dataset !== undefined && !existsSync(p.dataset)) issues.push(`providers.${name}.dataset: file not found: ${p.dataset}`);
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return resolved;
};

/** Reads, substitutes `${ENV}`, validates and resolves a YAML config file. */
export const loadConfig = async (
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ResolvedConfig> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  let tree: unknown;
  try {
    tree = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError(path, [`YAML syntax: ${(err as Error).message}`]);
  }
  return buildConfig(tree, path, env);
};
