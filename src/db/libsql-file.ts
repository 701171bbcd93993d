import Sqlite from 'libsql';
import {
  LibsqlBatchError,
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
  type Value,
} from '@libsql/client';

/**
 * The libSQL client of a local database (a file, or `:memory:`): one connection, and each SQL
 * text prepared once and kept. `@libsql/client`'s own file client prepares every statement
 * afresh on each call (and asks it for its columns twice), which was about 2 of a sign-up's 8 ms
 * of CPU; SQLite's prepared statements are made to be reset and run again. Everything else is
 * as that client does it, so Drizzle's libsql driver and the code that reads `client.execute`
 * see the same results and errors: rows that are arrays and objects at once, integers as
 * numbers (an integer beyond 2^53 is an error, not a silent rounding), blobs as ArrayBuffers,
 * errors as LibsqlError with SQLite's code, a batch as one transaction that applies all or
 * nothing. Interactive transactions are not offered: Broadside writes with batches (D1 has no
 * interactive transactions), and on one shared connection another request's statements would
 * land inside one.
 */

/** Distinct SQL texts kept prepared. Drizzle writes values as `?`, so a query's text repeats; a
 * text with a varying number of values (an IN list, a multi-row insert) makes several, and the
 * least recently used are let go beyond this. */
const CACHED_STATEMENTS = 500;

interface Prepared {
  stmt: Sqlite.Statement;
  /** Whether it returns rows (SELECT, RETURNING, most PRAGMAs): read with all(), else run(). */
  reader: boolean;
  /** A reader's column names and declared types, read once (see #columnsOf). */
  columns?: { names: string[]; types: string[] };
}

type Args = unknown[] | Record<string, unknown>;

const DDL = /^\s*(create|alter|drop)\b/i;

export class LibsqlFileClient implements Client {
  readonly protocol = 'file' as const;
  closed = false;
  readonly #db: Sqlite.Database;
  readonly #statements = new Map<string, Prepared>();

  constructor(path: string) {
    this.#db = new Sqlite(path);
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.#checkOpen();
    return this.#run(typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args } : stmtOrSql);
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
    this.#checkOpen();
    return this.#inTransaction(mode, () =>
      stmts.map((stmt, i) => {
        // A statement can end the transaction itself (ROLLBACK, or an ON CONFLICT ROLLBACK
        // clause): what follows must not run outside it.
        if (!this.#db.inTransaction) throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
        try {
          return this.#run(Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] } : stmt);
        } catch (e) {
          throw e instanceof LibsqlError && !(e instanceof LibsqlBatchError)
            ? new LibsqlBatchError(e.message, i, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined)
            : e;
        }
      }),
    );
  }

  /** Drizzle's migrator: a batch with foreign keys off (a table rebuild must not cascade). */
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#checkOpen();
    this.#run('PRAGMA foreign_keys=off');
    try {
      return await this.batch(stmts);
    } finally {
      this.#run('PRAGMA foreign_keys=on');
      // The schema changed: let go of statements prepared against the old one.
      this.#statements.clear();
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    try {
      this.#db.exec(sql);
    } catch (e) {
      throw libsqlError(e);
    } finally {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      this.#statements.clear();
    }
  }

  async transaction(_mode?: TransactionMode): Promise<Transaction> {
    throw new LibsqlError('Interactive transactions are not supported here: use batch()', 'TRANSACTION_UNSUPPORTED');
  }

  async sync(): Promise<never> {
    throw new LibsqlError('A local database has nothing to sync with', 'SYNC_NOT_SUPPORTED');
  }

  async reconnect(): Promise<void> {
    throw new LibsqlError('A local database client cannot reconnect: open a new one', 'RECONNECT_UNSUPPORTED');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The connection closes once its statements are let go of too (libsql keeps it for them).
    this.#statements.clear();
    this.#db.close();
  }

  #checkOpen() {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  }

  /** BEGIN, `work`, COMMIT; ROLLBACK if anything in it throws. */
  #inTransaction<T>(mode: TransactionMode, work: () => T): T {
    this.#run(mode === 'write' ? 'BEGIN IMMEDIATE' : mode === 'read' ? 'BEGIN TRANSACTION READONLY' : 'BEGIN DEFERRED');
    try {
      const result = work();
      this.#run('COMMIT');
      return result;
    } finally {
      if (this.#db.open && this.#db.inTransaction) this.#db.exec('ROLLBACK');
    }
  }

  #prepared(sql: string): Prepared {
    const hit = this.#statements.get(sql);
    if (hit) {
      // Most recently used last, so the first entry is the one to let go of.
      this.#statements.delete(sql);
      this.#statements.set(sql, hit);
      return hit;
    }
    const stmt = this.#db.prepare(sql);
    stmt.safeIntegers(true);
    const reader = stmt.reader;
    if (reader) stmt.raw(true);
    const prepared = { stmt, reader };
    this.#statements.set(sql, prepared);
    if (this.#statements.size > CACHED_STATEMENTS) this.#statements.delete(this.#statements.keys().next().value!);
    return prepared;
  }

  #columnsOf(entry: Prepared, again = false) {
    if (!entry.columns || again) {
      const info = entry.stmt.columns();
      entry.columns = { names: info.map((c) => c.name), types: info.map((c) => c.type ?? '') };
    }
    return entry.columns;
  }

  #run(stmt: InStatement): ResultSet {
    const { sql, args } = typeof stmt === 'string' ? { sql: stmt, args: undefined } : stmt;
    const values = toSqlArgs(args);
    try {
      const entry = this.#prepared(sql);
      const { stmt: prepared, reader } = entry;
      if (!reader) {
        const info = prepared.run(values);
        // A schema change on this connection (a test's, a migration's): kept statements' column
        // names may be stale (a renamed column keeps the count), so start afresh.
        if (DDL.test(sql)) this.#statements.clear();
        return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const raws = prepared.all(values) as unknown[][];
      let columns = this.#columnsOf(entry);
      // SQLite prepares a statement again after a schema change, so a `select *` kept from before
      // an added column answers with more values than the names kept: read them again.
      if (raws.length && raws[0]!.length !== columns.names.length) columns = this.#columnsOf(entry, true);
      const rows = raws.map((raw) => toRow(raw, columns.names));
      return resultSet(columns.names, columns.types, rows, 0, undefined);
    } catch (e) {
      throw libsqlError(e);
    }
  }
}

function resultSet(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({
      columns,
      columnTypes,
      rows: rows.map((row) => Array.prototype.map.call(row, jsonValue)),
      rowsAffected,
      lastInsertRowid: lastInsertRowid === undefined ? null : String(lastInsertRowid),
    }),
  };
}

const jsonValue = (v: unknown) =>
  typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v;

/** A row as libSQL's clients give it: indexed like an array (not enumerable) and named like an object. */
function toRow(raw: unknown[], columns: string[]): Row {
  const row = {} as Row;
  Object.defineProperty(row, 'length', { value: raw.length });
  for (let i = 0; i < raw.length; i++) {
    const value = fromSql(raw[i]);
    Object.defineProperty(row, i, { value });
    const name = columns[i]!;
    // The first of two columns with one name wins, as in @libsql/client.
    if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value, enumerable: true, configurable: true, writable: true });
  }
  return row;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fromSql(value: unknown): Value {
  if (typeof value === 'bigint') {
    if (value > MAX_SAFE || value < -MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  return value as Value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toSqlValue(value: InValue | undefined): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
      return value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      throw new TypeError('undefined cannot be passed as argument to the database');
  }
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  return value;
}

function toSqlArgs(args: InArgs | undefined): Args {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSqlValue);
  // Named arguments may carry their prefix (`:name`, `@name`, `$name`); libsql wants it off.
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) named[/^[:@$]/.test(name) ? name.slice(1) : name] = toSqlValue(value);
  return named;
}

/** SQLite's result codes by number (the low byte of an extended code), as LibsqlError names them. */
const CODES = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND',
  'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT',
  'RANGE', 'NOTADB', 'NOTICE', 'WARNING',
];

function libsqlError(e: unknown): unknown {
  if (!(e instanceof Sqlite.SqliteError)) return e;
  const base = e.rawCode === undefined ? undefined : e.rawCode & 0xff;
  const code = base === undefined ? 'SQLITE_UNKNOWN' : base > 0 && base < CODES.length ? `SQLITE_${CODES[base]}` : `SQLITE_UNKNOWN_${base}`;
  return new LibsqlError(e.message, code, e.code, e.rawCode, e);
}
