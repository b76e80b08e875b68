/**
 * The attribute table against the EU reference node's attribute registry
 * (test/fixtures/vectors/eidas-eu-mock/eidas-attributes.xml): Name, FriendlyName, xsi:type and
 * minimum-data-set flag of every natural-person attribute (R-ATT-01/02), and every legal-person
 * and representative name recognised so that it can be refused (R-ATT-07/08).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyAttribute, NATURAL_ATTRIBUTES } from '../../src/pivot/index.ts';

const XML = readFileSync(new URL('../fixtures/vectors/eidas-eu-mock/eidas-attributes.xml', import.meta.url), 'utf8');

function registry(): { name: string; friendlyName: string; required: boolean; localPart: string }[] {
  const fields = new Map<string, Record<string, string>>();
  for (const [, n, field, value] of XML.matchAll(/<entry key="(\d+)\.([A-Za-z.]+)">([^<]*)<\/entry>/g)) {
    fields.set(n!, { ...fields.get(n!), [field!]: value! });
  }
  return [...fields.values()].map((f) => ({
    name: f.NameUri!,
    friendlyName: f.FriendlyName!,
    required: f.Required === 'true',
    localPart: f['XmlType.LocalPart']!,
  }));
}

const entries = registry();
const natural = entries.filter((e) => e.name.includes('/naturalperson/') && !e.name.includes('/representative/'));

describe('R-ATT-01/02: natural-person attributes match the reference registry', () => {
  it('the table has exactly the registry natural-person attributes', () => {
    expect(natural).toHaveLength(14);
    expect(NATURAL_ATTRIBUTES.map((d) => d.name).sort()).toEqual(natural.map((e) => e.name).sort());
  });
  it.each(natural.map((e) => [e.friendlyName, e] as const))('%s: Name, FriendlyName, xsi:type, minimum data set', (_f, e) => {
    const def = NATURAL_ATTRIBUTES.find((d) => d.name === e.name)!;
    expect({ friendlyName: def.friendlyName, xsiType: def.xsiType, mds: def.mds }).toEqual({
      friendlyName: e.friendlyName,
      xsiType: e.localPart,
      mds: e.required,
    });
  });
});

describe('R-ATT-07/08: every legal-person and representative name of the registry is recognised', () => {
  const others = entries.filter((e) => !natural.includes(e));
  it('38 of them', () => expect(others).toHaveLength(38));
  it.each(others.map((e) => [e.friendlyName, e.name] as const))('%s', (_f, name) => {
    expect(classifyAttribute(name).kind).toBe(name.includes('/representative/') ? 'representative' : 'legal');
  });
});
