/** One versioned schema change; both stores keep an append-only list of these. */
export interface LedgerMigration {
  version: number;
  name: string;
  /** Statements run in order inside the migration's transaction. */
  statements: readonly string[];
}
