/** Layering of plain JSON objects: later layers win key by key; lists and scalars are replaced whole. */
import { ConfigError } from './errors.ts';

type Json = Record<string, unknown>;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergeLayers(layers: readonly Json[], path: string[] = []): Json {
  const out: Json = Object.create(null) as Json;
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ConfigError([{ path: [...path, key].join('.'), message: 'unknown key' }]);
      }
      const prev = out[key];
      out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeLayers([prev, value], [...path, key]) : value;
    }
  }
  return out;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
