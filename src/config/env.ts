/**
 * Environment → configuration. `PONT_<AREA>__<KEY>` sets `area.key`: segments are separated
 * by a double underscore and written in SCREAMING_SNAKE_CASE (`PONT_SERVER__PUBLIC_BASE_URL`
 * → `server.publicBaseUrl`). Numbers and booleans are parsed, lists and objects are JSON.
 * Two conventional variables are accepted too: DATABASE_URL → database.url and PORT →
 * server.port (a PONT_ variable wins over them). PONT_CONFIG names the configuration file.
 * Empty values count as unset. An unknown PONT_ variable is an error, like an unknown key.
 */
import { ConfigError, formatPath, type ConfigIssue } from './errors.ts';
import { schemaAt, typeOf } from './json-schema.ts';

export const ENV_PREFIX = 'PONT_';
export const CONFIG_FILE_ENV = 'PONT_CONFIG';
export const ENV_ALIASES: Readonly<Record<string, readonly string[]>> = {
  DATABASE_URL: ['database', 'url'],
  PORT: ['server', 'port'],
};

type Env = Readonly<Record<string, string | undefined>>;

/** `['server', 'publicBaseUrl']` → `PONT_SERVER__PUBLIC_BASE_URL`. */
export function envNameFor(path: readonly string[]): string {
  return ENV_PREFIX + path.map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

function pathFromEnvName(name: string): string[] {
  return name
    .slice(ENV_PREFIX.length)
    .split('__')
    .map((seg) => seg.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
}

/** The configuration overrides the environment holds, as a nested object. */
export function configFromEnv(env: Env): Record<string, unknown> {
  const assignments: Array<[string[], string, string]> = [];
  for (const [name, path] of Object.entries(ENV_ALIASES)) {
    const value = env[name];
    if (value) assignments.push([[...path], value, name]);
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || name === CONFIG_FILE_ENV || !value) continue;
    assignments.push([pathFromEnvName(name), value, name]);
  }
  const issues: ConfigIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [path, raw, name] of assignments) {
    try {
      setAt(out, path, coerce(path, raw, name));
    } catch (e) {
      if (!(e instanceof EnvValueError)) throw e;
      issues.push({ path: formatPath(path), message: `${e.message} (from ${name})` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, 'environment');
  return out;
}

class EnvValueError extends Error {}

function coerce(path: string[], raw: string, name: string): unknown {
  const node = schemaAt(path);
  if (!node) throw new EnvValueError(`unknown key`);
  switch (typeOf(node)) {
    case 'integer':
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw new EnvValueError('expected a number');
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new EnvValueError('expected true or false');
      return raw === 'true';
    case 'array':
    case 'object':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new EnvValueError(`expected JSON in ${name}`);
      }
    default:
      return raw;
  }
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}
