/** Runs the real `pont` command (node bin/pont.js …) as a subprocess, with a clean environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/pont.js', import.meta.url));
export const VECTORS = `${ROOT}test/fixtures/vectors`;
export const KEYS = `${ROOT}test/fixtures/keys`;

export interface PontResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** process.env without any configuration variable, so only `env` configures the run. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('PONT_') && k !== 'PORT' && k !== 'DATABASE_URL'),
  );
  return { ...base, ...env };
}

export function startPont(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function pont(args: string[], env: Record<string, string> = {}): Promise<PontResult> {
  const child = startPont(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The operator contract for failures: exactly one line on stderr, and no stack trace. */
export function singleErrorLine(r: PontResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}: ${r.stderr}`);
  if (/^\s+at /m.test(r.stderr)) throw new Error(`stack trace on stderr: ${r.stderr}`);
  return lines[0]!;
}
