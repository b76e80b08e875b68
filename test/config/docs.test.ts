/** docs/config.md is generated from the schema: it must be up to date and describe every key. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../src/config/docs.ts';
import { configJsonSchema, type JsonSchemaNode } from '../../src/config/json-schema.ts';
import { PROJECT_ROOT } from '../../src/util/paths.ts';

function undocumented(node: JsonSchemaNode, path: string): string[] {
  const own = path && !node.description ? [path] : [];
  const props = Object.entries(node.properties ?? {}).flatMap(([k, child]) => undocumented(child, path ? `${path}.${k}` : k));
  const items = node.items?.properties ? undocumented({ ...node.items, description: 'item' }, `${path}[]`) : [];
  return [...own, ...props, ...items];
}

describe('docs/config.md', () => {
  it('is what `npm run docs:config` generates from the schema (run it after changing a key)', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'docs', 'config.md'), 'utf8');
    expect(committed).toBe(renderConfigDocs());
  });

  it('every configuration key has a description', () => {
    expect(undocumented(configJsonSchema(), '')).toEqual([]);
  });
});
