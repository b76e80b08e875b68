/**
 * Every storage failure is a `StorageError` with one code. Messages name the database
 * (host:port, or the PGlite data directory) and the SQLSTATE, never a password, a query
 * parameter or a row: flow state and message IDs may carry personal data, and driver
 * errors echo values ("invalid input syntax …: "<value>""), so the driver error is never
 * kept as `cause`.
 */
export const STORAGE_CODES = {
  CONFIG: 'the database settings are not usable',
  UNAVAILABLE: 'the database cannot be reached or refused the connection',
  LOCKED: 'the PGlite data directory is in use by another process',
  CLOSED: 'the database handle was closed',
  QUERY_FAILED: 'the database refused a statement',
  MIGRATION_FAILED: 'a migration could not be applied',
  SCHEMA_MISMATCH: 'the database schema does not match this version',
  INVALID_ARGUMENT: 'a value given to the storage is not acceptable',
} as const;

export type StorageCode = keyof typeof STORAGE_CODES;

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageCode,
    message: string = STORAGE_CODES[code],
    /** The PostgreSQL SQLSTATE when the server refused a statement. */
    readonly sqlState?: string,
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT',
  'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT',
]);

/**
 * SQLSTATEs that mean "this database is not available to us", by prefix, with our own wording
 * (08P01, a protocol violation, is a refused statement instead).
 */
const UNAVAILABLE_STATES: [string, string][] = [
  ['08', 'connection failure'],
  ['28', 'authentication refused'],
  ['3D000', 'database does not exist'],
  ['53300', 'too many connections'],
  ['57P', 'server shutting down or starting up'],
];

/** Classes whose server messages name only identifiers (never values), so they are kept. */
const SAFE_MESSAGE_CLASSES = ['42', '0A'];

interface DriverError {
  code?: unknown;
  message?: unknown;
}

function driverFields(err: unknown): { code: string; message: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverError;
  return {
    code: typeof e.code === 'string' ? e.code : '',
    message: typeof e.message === 'string' ? e.message : '',
  };
}

const isSqlState = (code: string): boolean => /^[0-9A-Z]{5}$/.test(code);

/**
 * Turns whatever a driver threw into a StorageError. `target` names the database for
 * humans ("127.0.0.1:5432", "PGlite at var/pglite") and carries no secret.
 */
export function toStorageError(err: unknown, target: string): StorageError {
  if (err instanceof StorageError) return err;
  const { code, message } = driverFields(err);
  if (NETWORK_CODES.has(code)) {
    return new StorageError('UNAVAILABLE', `database unreachable at ${target} (${code})`);
  }
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new StorageError('UNAVAILABLE', `database unreachable at ${target} (connection timeout or reset)`);
  }
  if (/after calling end on the pool|PGlite is clos|Client was closed|Transaction is closed/i.test(message)) {
    return new StorageError('CLOSED', `database handle for ${target} is closed`);
  }
  if (isSqlState(code)) {
    const unavailable = code === '08P01' ? undefined : UNAVAILABLE_STATES.find(([prefix]) => code.startsWith(prefix));
    if (unavailable) {
      return new StorageError('UNAVAILABLE', `database unreachable at ${target} (${unavailable[1]}, SQLSTATE ${code})`, code);
    }
    const detail = SAFE_MESSAGE_CLASSES.some((c) => code.startsWith(c)) ? `: ${message}` : '';
    return new StorageError('QUERY_FAILED', `statement refused by ${target} (SQLSTATE ${code})${detail}`, code);
  }
  return new StorageError('QUERY_FAILED', `unexpected database client failure on ${target}`);
}
