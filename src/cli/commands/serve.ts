import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.js';
import { resolveConfigSource } from '../resolve-config-source.js';
import { startGateway } from '../start-gateway.js';

const parsePort = (raw: string | undefined): number | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got '${raw}'`);
  return n;
};

export const registerServeCommand = (program: Command): void => {
  program
    .command('serve')
    .description('start the gateway (embedded default: simulator upstream, SQLite ledger, in-memory state)')
    .option('-c, --config <file>', 'YAML config file (default: $SWITCHYARD_CONFIG, ./switchyard.yaml, or the embedded default)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .action(async (opts: { config?: string; port?: string; host?: string }) => {
      try {
        const { config } = await resolveConfigSource(opts.config);
        const gateway = await startGateway({
          config,
          port: parsePort(opts.port ?? process.env['PORT']),
          host: opts.host ?? process.env['HOST'],
        });
        let stopping = false;
        const stop = (signal: string): void => {
          if (stopping) return;
          stopping = true;
          console.error(`switchyard: ${signal} received, draining…`);
          gateway.close().then(() => process.exit(0), (err: unknown) => {
            console.error('switchyard: shutdown failed:', err);
            process.exit(1);
          });
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
      } catch (err) {
        console.error(err instanceof ConfigError ? err.message : `switchyard: ${(err as Error).message}`);
        process.exit(1);
      }
    });
};
