import { test, type TestContext } from 'node:test';

/**
 * Tests that need an external service (PostgreSQL, Redis…) skip with a clear message when it is not
 * running, so `npm test` works on a laptop. CI sets SWITCHYARD_REQUIRE_SERVICES=1: there a missing
 * service is a failure, never a silent skip.
 */
export interface ServiceSpec {
  /** Human name: 'PostgreSQL', 'Redis'. */
  name: string;
  /** Where it was looked for (credentials are masked in messages). */
  where: string;
  /** Environment variable that points the tests elsewhere. */
  envVar: string;
  /** Resolves when the service answers; should time out on its own within a few seconds. */
  probe: () => Promise<void>;
}

export const servicesRequired = (): boolean => process.env['SWITCHYARD_REQUIRE_SERVICES'] === '1';

const maskCredentials = (where: string): string => where.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

const reasonOf = (err: unknown): string => {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as Error & { code?: string }).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
};

/** Probes the service; resolves to null when it is up, else to the message to skip (or fail) with. */
export const probeService = async (spec: ServiceSpec): Promise<string | null> => {
  try {
    await spec.probe();
    return null;
  } catch (err) {
    return `${spec.name} not reachable at ${maskCredentials(spec.where)} (${reasonOf(err)}); set ${spec.envVar}`;
  }
};

/**
 * Inside a test: true when the service is up. Otherwise skips the test and returns false, or throws
 * (failing the test) when SWITCHYARD_REQUIRE_SERVICES=1.
 */
export async function serviceOrSkip(spec: ServiceSpec, t: TestContext): Promise<boolean> {
  const problem = await probeService(spec);
  if (problem === null) return true;
  if (servicesRequired()) throw new Error(`${problem} (required: SWITCHYARD_REQUIRE_SERVICES=1)`);
  t.skip(problem);
  return false;
}

/**
 * For suites registered when the file loads (conformance suites): registers them when the service is
 * up; otherwise registers one test that is skipped, or fails under SWITCHYARD_REQUIRE_SERVICES=1.
 */
export async function withService(spec: ServiceSpec, register: () => void): Promise<void> {
  const problem = await probeService(spec);
  if (problem === null) {
    register();
    return;
  }
  test(`${spec.name} tests`, (t) => {
    if (servicesRequired()) throw new Error(`${problem} (required: SWITCHYARD_REQUIRE_SERVICES=1)`);
    t.skip(problem);
  });
}
