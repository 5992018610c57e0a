import type { LedgerRow, LedgerStore } from '../spec/ledger.js';
import { createBatchWriter, type BatchWriter, type BatchWriterOptions } from './create-batch-writer.js';
import { invalidLedgerRow } from './ledger-columns.js';

export type { WriterTimers } from './create-batch-writer.js';
export type LedgerWriterOptions = BatchWriterOptions<LedgerRow>;
export type BatchingLedgerWriter = BatchWriter<LedgerRow>;

/** The ledger's batching writer: idempotent inserts (unique request id + attempt) make retries safe. */
export const createLedgerWriter = (store: LedgerStore, options: LedgerWriterOptions = {}): BatchingLedgerWriter =>
  createBatchWriter({ label: 'ledger', insert: (rows) => store.insert(rows), invalid: invalidLedgerRow }, options);
