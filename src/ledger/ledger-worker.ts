/**
 * The SQLite ledger's own thread. better-sqlite3 is synchronous: a batch of a few hundred rows
 * blocks for milliseconds, which on the main thread shows up as the request path's p99. Here it
 * blocks nobody; the main thread only posts batches (see worker-ledger-store.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerRow, SpendQuery } from '../spec/ledger.js';
import { GatewayError, type ErrorCode } from '../errors/index.js';
import { createSqliteLedgerStore } from './sqlite-ledger-store.js';

export type LedgerWorkerRequest =
  | { id: number; op: 'insert'; rows: LedgerRow[] }
  | { id: number; op: 'spend'; query: SpendQuery }
  | { id: number; op: 'count' }
  | { id: number; op: 'close' };

/** Errors cross the thread as plain data; a GatewayError (bad spend query) keeps its code and param. */
export interface WorkerError { message: string; code?: ErrorCode; param?: string }
export type LedgerWorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof GatewayError ? { message: err.message, code: err.code, param: err.param } : { message: (err as Error).message };

const { path } = workerData as { path: string };
const port = parentPort;
if (port) {
  let store: ReturnType<typeof createSqliteLedgerStore> | undefined;
  let openError: string | undefined;
  try {
    store = createSqliteLedgerStore(path);
  } catch (err) {
    openError = `cannot open ledger ${path}: ${(err as Error).message}`;
  }
  port.on('message', (msg: LedgerWorkerRequest) => {
    const run = async (): Promise<unknown> => {
      if (!store) throw new Error(openError);
      switch (msg.op) {
        case 'insert':
          return store.insert(msg.rows);
        case 'spend':
          return store.spend(msg.query);
        case 'count':
          return store.count();
        case 'close':
          return store.close();
      }
    };
    run().then(
      (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies LedgerWorkerReply),
      (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: toWorkerError(err) } satisfies LedgerWorkerReply),
    );
  });
}
