/**
 * The configuration schema as JSON Schema (zod's own export), walked by the environment
 * mapping (to coerce strings), the secret masking and the docs generator.
 */
import { z } from 'zod';
import { configShape } from './schema.ts';

export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  secret?: boolean;
  /** A default computed from other keys, in words (e.g. `http://localhost:<port>`). */
  defaultText?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  format?: string;
}

let cached: JsonSchemaNode | undefined;

export function configJsonSchema(): JsonSchemaNode {
  cached ??= z.toJSONSchema(configShape, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return cached;
}

/** The node at a key path (object keys only), or undefined when no such key exists. */
export function schemaAt(path: readonly string[], root: JsonSchemaNode = configJsonSchema()): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const key of path) {
    node = node?.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
    if (!node) return undefined;
  }
  return node;
}

export function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return 'enum';
  const t = Array.isArray(node.type) ? node.type[0] : node.type;
  return t ?? 'any';
}
