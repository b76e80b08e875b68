/**
 * PGlite runs PostgreSQL inside this process and does not lock its data directory: a second
 * process (or a second instance in this one) opening it would corrupt it. We hold
 * `<dataDir>.lock`, holding our pid, while the directory is open. A lock left by a process
 * that no longer runs is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { StorageError } from './errors.ts';

export interface DirLock {
  release(): void;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // vanished or unreadable: treated as not held, the exclusive create decides
  }
}

function createExclusive(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx', 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StorageError('CONFIG', `cannot create the lock file ${lockPath} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function lockDataDir(dataDir: string): DirLock {
  const lockPath = `${dataDir}.lock`;
  if (!createExclusive(lockPath)) {
    const holder = holderOf(lockPath);
    if (holder !== undefined && processRuns(holder)) {
      throw new StorageError(
        'LOCKED',
        `the PGlite data directory ${dataDir} is in use by process ${holder}` +
          ' (PGlite serves one process; set DATABASE_URL to run several instances)',
      );
    }
    rmSync(lockPath, { force: true });
    if (!createExclusive(lockPath)) {
      throw new StorageError('LOCKED', `the PGlite data directory ${dataDir} was locked by another process`);
    }
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(lockPath, { force: true });
    },
  };
}
