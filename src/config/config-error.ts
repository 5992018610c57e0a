/** A config file problem: every issue names the path of the bad field. */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(`invalid config (${source}):\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`), '');

/** One schema issue as `field.path: message` (`(root)` for the whole document). */
export const issueText = (issue: { path: readonly PropertyKey[]; message: string }): string => `${formatPath(issue.path) || '(root)'}: ${issue.message}`;
