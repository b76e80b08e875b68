/**
 * Loads the configuration ONCE at start: config/default.json, then the operator's file
 * (`--config FILE` or PONT_CONFIG), then the environment (env.ts), validated by the strict
 * schema and frozen. Any problem is a ConfigError naming each key path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../util/paths.ts';
import { CONFIG_FILE_ENV, configFromEnv } from './env.ts';
import { ConfigError, issuesFromZod } from './errors.ts';
import { deepFreeze, isPlainObject, mergeLayers } from './merge.ts';
import { configSchema, type Config } from './schema.ts';

export const DEFAULTS_FILE = join(PROJECT_ROOT, 'config', 'default.json');

export interface LoadConfigOptions {
  /** The operator's file; when absent, PONT_CONFIG from `env` is used, if set. */
  file?: string | undefined;
  /** Defaults to process.env. Pass `{}` to ignore the environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Applied last (tests). */
  overrides?: Record<string, unknown>;
  defaultsFile?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? (env[CONFIG_FILE_ENV] || undefined);
  const defaultsFile = options.defaultsFile ?? DEFAULTS_FILE;
  const layers = [readJsonObject(defaultsFile)];
  const sources = ['defaults'];
  if (file) {
    layers.push(readJsonObject(file));
    sources.push(file);
  }
  layers.push(configFromEnv(env));
  sources.push('environment');
  if (options.overrides) layers.push(options.overrides);
  const merged = mergeLayers(layers);
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(issuesFromZod(result.error), sources.join(' + '));
  return deepFreeze(result.data) as Config;
}

/** Reads the defaults only (docs generator, tests). */
export function readDefaults(defaultsFile = DEFAULTS_FILE): Record<string, unknown> {
  return readJsonObject(defaultsFile);
}

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new ConfigError([{ path: '', message: `cannot read configuration file ${file}: ${why}` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the error, which may be a secret of this file: only
    // the position, when the message gives one, is passed on.
    const at = /at position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new ConfigError([{ path: '', message: `${file} is not valid JSON${at === undefined ? '' : ` (at position ${at})`}` }]);
  }
  if (!isPlainObject(value)) {
    throw new ConfigError([{ path: '', message: `${file} must hold a JSON object` }]);
  }
  return value;
}
