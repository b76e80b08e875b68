/**
 * The ONE place where failures become what an operator sees: a single line on stderr and an
 * exit code. Never a stack trace. Exit codes (documented in README.md):
 *   0 success · 1 refused by the XML security core (the reason code is printed) · 2 usage
 *   3 configuration · 4 input file (missing, unreadable, not what was expected) · 5 database
 *   6 keys or server start-up · 70 internal error.
 */
import { AuditError } from '../audit/errors.ts';
import { OidcRpError } from '../back/oidc-rp/errors.ts';
import { ConfigError } from '../config/errors.ts';
import { KeyStoreError } from '../keys/errors.ts';
import { KeyLifecycleError } from '../metadata/keys/errors.ts';
import { MetadataPublishError } from '../metadata/publish/errors.ts';
import { XmlSecurityError, XML_REASONS } from '../saml/errors.ts';
import { StartupError } from '../server/errors.ts';
import { StorageError } from '../storage/errors.ts';

export const EXIT = {
  OK: 0,
  REFUSED: 1,
  USAGE: 2,
  CONFIG: 3,
  INPUT: 4,
  DATABASE: 5,
  STARTUP: 6,
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure our own commands detect (a missing element, an unreadable file…). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.INPUT,
  ) {
    super(message);
  }
}

export interface Outcome {
  message: string;
  exitCode: ExitCode;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
};

export function describeError(err: unknown): Outcome {
  if (err instanceof CliError) return outcome(err.message, err.exitCode);
  if (err instanceof XmlSecurityError) return outcome(describeRefusal(err), EXIT.REFUSED);
  if (err instanceof ConfigError) return outcome(err.message, EXIT.CONFIG);
  if (err instanceof StorageError) return outcome(`database: ${err.message}`, EXIT.DATABASE);
  if (err instanceof KeyStoreError) return outcome(`keys: ${err.message}`, EXIT.STARTUP);
  if (err instanceof KeyLifecycleError) return outcome(`keys: ${err.message}`, EXIT.STARTUP);
  if (err instanceof AuditError) return outcome(`audit: ${err.message}`, EXIT.DATABASE);
  if (err instanceof StartupError) return outcome(`cannot start: ${err.message}`, EXIT.STARTUP);
  if (err instanceof MetadataPublishError) return outcome(`metadata: ${err.message}`, EXIT.STARTUP);
  if (err instanceof OidcRpError && err.reason === 'OIDC_CONFIG') return outcome(`franceconnect: ${err.message}`, EXIT.CONFIG);
  const fs = fsError(err);
  if (fs) return outcome(fs, EXIT.INPUT);
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  return outcome(`internal error (${name}): ${message}`, EXIT.INTERNAL);
}

/** `DIGEST_MISMATCH: the signed content was changed after signing` (reason code first). */
function describeRefusal(err: XmlSecurityError): string {
  const prefix = `${err.reason}: `;
  const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  const meaning = XML_REASONS[err.reason];
  return detail === meaning ? `refused: ${err.reason}: ${meaning}` : `refused: ${err.reason}: ${detail}`;
}

function fsError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || !(e.code in FS_REASONS)) return undefined;
  return e.path ? `${e.path}: ${FS_REASONS[e.code]}` : FS_REASONS[e.code];
}

function outcome(message: string, exitCode: ExitCode): Outcome {
  return { message: oneLine(message), exitCode };
}

/** Collapses any line breaks: the operator always gets exactly one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
