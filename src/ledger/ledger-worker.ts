/**
 * The SQLite ledger's own thread. better-sqlite3 is synchronous: a batch of a few hundred rows
 * blocks for milliseconds, which on the main thread shows up as the request path's p99. Here it
 * blocks nobody; the main thread only posts batches (see worker-ledger-store.ts). The thread hosts
 * the ledger and the learning tables (decisions, feedback, policy versions) on one connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LearningStore } from '../spec/learning.js';
import type { LedgerStore } from '../spec/ledger.js';
import { GatewayError, type ErrorCode } from '../errors/index.js';
import { createSqliteLearningStore } from './sqlite-learning-store.js';
import { createSqliteLedgerStore, openLedgerDatabase } from './sqlite-ledger-store.js';

/** A method of the ledger store (`insert`) or of the learning store (`learning.insertDecisions`). */
export type LedgerWorkerOp = keyof LedgerStore | `learning.${keyof LearningStore}`;
export interface LedgerWorkerRequest { id: number; op: LedgerWorkerOp; args: unknown[] }

/** Errors cross the thread as plain data; a GatewayError (bad spend query) keeps its code and param. */
export interface WorkerError { message: string; code?: ErrorCode; param?: string }
export type LedgerWorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof GatewayError ? { message: err.message, code: err.code, param: err.param } : { message: (err as Error).message };

type Method = (...args: unknown[]) => Promise<unknown>;

const { path } = workerData as { path: string };
const port = parentPort;
if (port) {
  let methods: Map<string, Method> | undefined;
  let openError: string | undefined;
  try {
    const db = openLedgerDatabase(path);
    const ledger = createSqliteLedgerStore(db);
    const learning = createSqliteLearningStore(db);
    methods = new Map<string, Method>();
    for (const [name, fn] of Object.entries(ledger)) methods.set(name, (fn as Method).bind(ledger));
    for (const [name, fn] of Object.entries(learning)) methods.set(`learning.${name}`, (fn as Method).bind(learning));
  } catch (err) {
    openError = `cannot open ledger ${path}: ${(err as Error).message}`;
  }
  port.on('message', (msg: LedgerWorkerRequest) => {
    const run = async (): Promise<unknown> => {
      if (!methods) throw new Error(openError);
      const method = methods.get(msg.op);
      if (!method) throw new Error(`unknown ledger worker op ${msg.op}`);
      return method(...msg.args);
    };
    run().then(
      (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies LedgerWorkerReply),
      (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: toWorkerError(err) } satisfies LedgerWorkerReply),
    );
  });
}
