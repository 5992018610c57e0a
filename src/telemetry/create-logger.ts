import { pino, type DestinationStream, type Logger } from 'pino';
import { redactFields } from './redact-fields.js';

export { REDACTED } from './redact-fields.js';

export interface LoggerOptions {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** Pretty printing needs pino-pretty, which is not a dependency: only `false` is accepted for now. */
  pretty?: false;
  /** Where lines go (tests pass an in-memory sink); default stdout, written asynchronously. */
  destination?: DestinationStream;
}

/**
 * The gateway's logger: JSON lines, secrets and prompt/answer bodies censored by field name before
 * anything is serialised (see redact-fields.ts for why not pino's `redact`). Child-logger bindings
 * are censored the same way.
 */
export const createLogger = (options: LoggerOptions): Logger => {
  // Async stdout: lines written in the background; pino flushes them synchronously at exit.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const logger = pino(
    {
      level: options.level,
      formatters: {
        log: (object) => redactFields(object),
        bindings: (bindings) => redactFields(bindings),
      },
    },
    destination,
  );
  // pino skips formatters.bindings for children, so censor their bindings on the way in. Children
  // are created with Object.create(parent): grandchildren inherit this method too.
  const child = logger.child;
  logger.child = function censoredChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactFields(bindings), childOptions);
  } as Logger['child'];
  return logger;
};
