/**
 * The SQLite ledger's own thread. better-sqlite3 is synchronous: a batch of a few hundred rows
 * blocks for milliseconds, which on the main thread shows up as the request path's p99. Here it
 * blocks nobody; the main thread only posts batches (see worker-ledger-store.ts). The thread hosts
 * the ledger and the learning tables (decisions, feedback, policy versions) on one connection.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LearningStore } from '../spec/learning.js';
import type { LedgerStore } from '../spec/ledger.js';
import { GatewayError, type ErrorCode } from '../errors/index.js';
import { createSqliteLearningStore } from './sqlite-learning-store.js';
import { createSqliteLedgerStore, openLedgerDatabase } from './sqlite-ledger-store.js';
import { currentThreadId } from './thread-scheduler.js';
import { setThreadNice, type PriorityChange } from './writer-priority.js';

/**
 * A method of the ledger store (`insert`) or of the learning store (`learning.insertDecisions`),
 * `priority` (args: 'low' | 'normal' | null; answers the thread's nice value) or `thread` (answers
 * the thread's id on Linux, else null: thread-scheduler.ts).
 */
export type LedgerWorkerOp = keyof LedgerStore | `learning.${keyof LearningStore}` | 'priority' | 'thread';

export interface LedgerWorkerData {
  path: string;
  /** Nice value while the thread keeps up (0: never lowered). */
  lowNice: number;
}
export interface LedgerWorkerRequest { id: number; op: LedgerWorkerOp; args: unknown[] }

/** Errors cross the thread as plain data; a GatewayError (bad spend query) keeps its code and param. */
export interface WorkerError { message: string; code?: ErrorCode; param?: string }
export type LedgerWorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof GatewayError ? { message: err.message, code: err.code, param: err.param } : { message: (err as Error).message };

type Method = (...args: unknown[]) => Promise<unknown>;

const { path, lowNice } = workerData as LedgerWorkerData;

/**
 * The thread's priority (writer-priority.ts): lowered only where it can be raised again — the
 * probe steps one up from the inherited value and back, which needs root or CAP_SYS_NICE.
 * Elsewhere it stays at the process's own. Linux only: there `setpriority(…, 0, …)` is the calling
 * thread; on other systems it would be the whole process.
 */
const baseNice = getPriority(0);
const mayLower = process.platform === 'linux' && lowNice > baseNice && setThreadNice(setPriority, baseNice + 1) && setThreadNice(setPriority, baseNice);
const applyPriority = (change: PriorityChange): number => {
  if (mayLower && change !== null) setThreadNice(setPriority, change === 'low' ? lowNice : baseNice);
  return getPriority(0);
};
applyPriority('low');

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
      if (msg.op === 'priority') return applyPriority(msg.args[0] as PriorityChange);
      if (msg.op === 'thread') return currentThreadId();
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
