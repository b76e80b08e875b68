/** The key state machine (DESIGN §4: next → active → retiring → retired), as a table of every pair. */
import { describe, expect, it } from 'vitest';
import { KEY_STATES, KeyLifecycleError, isAllowedTransition, type KeyRecord, type KeyState } from '../../src/metadata/keys/index.ts';
import { planCreate, planPromote, planRetire, planSchedule } from '../../src/metadata/keys/transitions.ts';
import { DAY, HOUR } from './support/keys.ts';

const ALLOWED: ReadonlyArray<[KeyState, KeyState]> = [
  ['next', 'active'],
  ['active', 'retiring'],
  ['retiring', 'retired'],
  ['next', 'retired'],
];

const NOW = new Date('2026-06-01T00:00:00Z');

function record(id: string, state: KeyState, more: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id, use: 'signing', state, algorithm: 'ec-p256', keyFile: `${id}.key.pem`, certificatePem: '', fingerprint: id,
    notAfter: new Date('2027-06-01T00:00:00Z'), createdAt: new Date('2026-01-01T00:00:00Z'), publishedAt: new Date('2026-01-01T00:00:00Z'),
    ...(state !== 'next' && { activatedAt: new Date('2026-01-02T00:00:00Z') }),
    ...(state === 'retiring' && { retiringAt: new Date('2026-05-31T00:00:00Z') }),
    ...(state === 'retired' && { retiredAt: new Date('2026-05-31T00:00:00Z') }),
    ...more,
  };
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'allowed';
  } catch (e) {
    return e instanceof KeyLifecycleError ? e.code : `unexpected ${String(e)}`;
  }
};

describe('key state machine', () => {
  const pairs = KEY_STATES.flatMap((from) => KEY_STATES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s is allowed only when listed in TRANSITIONS', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(isAllowedTransition(from, to)).toBe(expected);
  });

  it.each([
    ['next', 'allowed'],
    ['active', 'TRANSITION_REFUSED'],
    ['retiring', 'TRANSITION_REFUSED'],
    ['retired', 'TRANSITION_REFUSED'],
  ] as const)('promote of a %s key: %s', (state, outcome) => {
    const keys = [record('cur', 'active'), ...(state === 'active' ? [] : [record('k', state)])];
    const id = state === 'active' ? 'cur' : 'k';
    expect(codeOf(() => planPromote(keys, id, NOW))).toBe(outcome);
  });

  it.each([
    ['next', 'allowed'],
    ['active', 'LAST_ACTIVE'],
    ['retiring', 'allowed'],
    ['retired', 'TRANSITION_REFUSED'],
  ] as const)('retire of a %s key: %s', (state, outcome) => {
    expect(codeOf(() => planRetire([record('k', state)], 'k'))).toBe(outcome);
  });

  it('promoting a next key demotes the active key of its use first (never two active keys)', () => {
    const keys = [record('old', 'active'), record('new', 'next'), record('enc', 'active', { use: 'encryption' })];
    expect(planPromote(keys, 'new', NOW)).toEqual([
      { id: 'old', use: 'signing', from: 'active', to: 'retiring' },
      { id: 'new', use: 'signing', from: 'next', to: 'active' },
    ]);
  });

  it('refuses to promote a key whose certificate has expired, and unknown ids', () => {
    const keys = [record('old', 'active'), record('new', 'next', { notAfter: NOW })];
    expect(codeOf(() => planPromote(keys, 'new', NOW))).toBe('INVALID_KEY');
    expect(codeOf(() => planPromote(keys, 'nope', NOW))).toBe('NOT_FOUND');
    expect(codeOf(() => planRetire(keys, 'nope'))).toBe('NOT_FOUND');
  });

  it('a new key is next beside an active key, active when its use has none', () => {
    const keys = [record('sig', 'active')];
    expect(planCreate(keys, 'signing', 'x', 'rsa-3072')[0]?.to).toBe('next');
    expect(planCreate(keys, 'encryption', 'y', 'rsa-3072')[0]?.to).toBe('active');
  });

  it('the schedule retires after the grace period and promotes the oldest due next key per use', () => {
    const settings = { retiringGraceMs: 24 * HOUR, autoPromoteAfterMs: 7 * DAY };
    const keys = [
      record('act', 'active'),
      record('old-ret', 'retiring', { retiringAt: new Date(NOW.getTime() - 24 * HOUR) }),
      record('young-ret', 'retiring', { retiringAt: new Date(NOW.getTime() - 23 * HOUR) }),
      record('n1', 'next', { publishedAt: new Date(NOW.getTime() - 8 * DAY) }),
      record('n2', 'next', { publishedAt: new Date(NOW.getTime() - 9 * DAY) }),
      record('n3', 'next', { publishedAt: new Date(NOW.getTime() - 6 * DAY) }),
    ];
    expect(planSchedule(keys, settings, NOW).map((c) => `${c.id}:${c.from}→${c.to}`)).toEqual([
      'old-ret:retiring→retired',
      'act:active→retiring',
      'n2:next→active',
    ]);
    expect(planSchedule(keys, { ...settings, autoPromoteAfterMs: undefined }, NOW).map((c) => c.id)).toEqual(['old-ret']);
  });
});
