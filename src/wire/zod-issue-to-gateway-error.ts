import type { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';

/** `['messages', 2, 'content']` → `messages[2].content`, the form OpenAI reports as `param`. */
export const formatParamPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
};

const describeIssue = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    return `expected one of ${issue.values.map(String).join(', ')}`;
  }
  // zod prefixes its messages ("Invalid input: expected string, received number"); the prefix adds nothing.
  const message = issue.message.replace(/^Invalid (input|option): /, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
};

/**
 * Turns the first zod issue into the 400 the client sees: one clear sentence that names the
 * field (`messages[2].role: expected one of …`) and the same path as `param`.
 */
export const zodIssueToGatewayError = (error: z.ZodError): GatewayError => {
  const issue = error.issues[0];
  if (!issue) return new GatewayError('invalid_request', 'invalid request body');
  const param = formatParamPath(issue.path);
  const message = param === '' ? describeIssue(issue) : `${param}: ${describeIssue(issue)}`;
  return new GatewayError('invalid_request', message, param === '' ? {} : { param });
};

/** A GatewayError for a field that failed a check zod does not express. */
export const invalidField = (param: string, problem: string): GatewayError =>
  new GatewayError('invalid_request', `${param}: ${problem}`, { param });
