/**
 * The effective configuration with its secrets masked, for `pont config check` and logs.
 * A key is secret when its schema says `secret: true`; a URL keeps everything but its
 * password, anything else becomes "********".
 */
import { configJsonSchema, type JsonSchemaNode } from './json-schema.ts';
import { isPlainObject } from './merge.ts';

export const MASK = '********';

export function maskSecrets(config: unknown, node: JsonSchemaNode = configJsonSchema()): unknown {
  if (node.secret === true && config !== undefined) return maskValue(config);
  if (Array.isArray(config)) return config.map((item) => (node.items ? maskSecrets(item, node.items) : item));
  if (isPlainObject(config)) {
    return Object.fromEntries(
      Object.entries(config).map(([key, value]) => {
        const child = node.properties?.[key];
        return [key, child ? maskSecrets(value, child) : value];
      }),
    );
  }
  return config;
}

function maskValue(value: unknown): string {
  if (typeof value !== 'string') return MASK;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return MASK;
  }
  if (url.password) url.password = MASK;
  // Query parameters of a connection URL may carry a password too (`?password=`, `sslkey=`).
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|key/i.test(key)) url.searchParams.set(key, MASK);
  }
  return url.href;
}
