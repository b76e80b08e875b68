/**
 * The key state machine (next → active → retiring → retired) and the planners that turn a
 * command into the changes it makes, from the current states alone (no I/O). A dry run prints
 * the plan; a real run re-plans under the key lock and applies exactly that plan. No plan
 * ever leaves a use without its active key.
 */
import { KeyLifecycleError } from './errors.ts';
import type { KeyRecord, KeyState, KeyUse } from './types.ts';

export interface Transition {
  from: KeyState;
  to: KeyState;
  /** What makes it happen, for docs/keys.md and the messages. */
  by: string;
}

/** Every allowed transition; any other pair is refused. */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'next', to: 'active', by: '`pont keys promote ID`, or the schedule `keys.autoPromoteAfterDays` after publication' },
  { from: 'active', to: 'retiring', by: 'another key of the same use is promoted (never on its own)' },
  { from: 'retiring', to: 'retired', by: '`pont keys retire ID`, or the schedule once `keys.retiringGraceHours` have passed' },
  { from: 'next', to: 'retired', by: '`pont keys retire ID`: withdraws a published key that was never active' },
];

export function isAllowedTransition(from: KeyState, to: KeyState): boolean {
  return TRANSITIONS.some((t) => t.from === from && t.to === to);
}

export function assertTransition(id: string, from: KeyState, to: KeyState): void {
  if (!isAllowedTransition(from, to)) {
    throw new KeyLifecycleError('TRANSITION_REFUSED', `key ${id} cannot go from ${from} to ${to}`);
  }
}

/** One change a command makes: `from` is absent when the key is created. */
export interface KeyChange {
  id: string;
  use: KeyUse;
  from?: KeyState;
  to: KeyState;
  algorithm?: string;
  /** True when the schedule (not an operator) made the change. */
  scheduled?: boolean;
}

export const activeOf = (records: readonly KeyRecord[], use: KeyUse): KeyRecord | undefined =>
  records.find((r) => r.use === use && r.state === 'active');

function find(records: readonly KeyRecord[], id: string): KeyRecord {
  const key = records.find((r) => r.id === id);
  if (!key) throw new KeyLifecycleError('NOT_FOUND', `no key ${id} (see \`pont keys list\`)`);
  return key;
}

/** A new key is `next` beside the active key of its use, or `active` when its use has none. */
export function planCreate(records: readonly KeyRecord[], use: KeyUse, id: string, algorithm: string): KeyChange[] {
  return [{ id, use, to: activeOf(records, use) ? 'next' : 'active', algorithm }];
}

/** `id` (next) becomes active; the active key of its use, if any, becomes retiring. */
export function planPromote(records: readonly KeyRecord[], id: string, now: Date): KeyChange[] {
  const key = find(records, id);
  if (key.state !== 'next') {
    const why = key.state === 'active' ? `it is already the active ${key.use} key` : `it is ${key.state}; only a next key can be promoted`;
    throw new KeyLifecycleError('TRANSITION_REFUSED', `cannot promote ${id}: ${why}`);
  }
  if (key.notAfter.getTime() <= now.getTime()) {
    throw new KeyLifecycleError('INVALID_KEY', `cannot promote ${id}: its certificate expired on ${key.notAfter.toISOString()}`);
  }
  const current = activeOf(records, key.use);
  const demote: KeyChange[] = current ? [{ id: current.id, use: key.use, from: 'active', to: 'retiring' }] : [];
  return [...demote, { id, use: key.use, from: 'next', to: 'active' }];
}

/** `id` (next or retiring) becomes retired; the active key is never retired. */
export function planRetire(records: readonly KeyRecord[], id: string): KeyChange[] {
  const key = find(records, id);
  if (key.state === 'active') {
    throw new KeyLifecycleError(
      'LAST_ACTIVE',
      `cannot retire ${id}: it is the active ${key.use} key and the node would have none; ` +
        `promote another ${key.use} key first (\`pont keys generate --use ${key.use}\`, then \`pont keys promote ID\`)`,
    );
  }
  if (key.state === 'retired') throw new KeyLifecycleError('TRANSITION_REFUSED', `cannot retire ${id}: it is already retired`);
  return [{ id, use: key.use, from: key.state, to: 'retired' }];
}

export interface ScheduleSettings {
  retiringGraceMs: number;
  autoPromoteAfterMs: number | undefined;
}

/** Retiring keys whose grace period has ended. */
export function dueForRetirement(records: readonly KeyRecord[], settings: ScheduleSettings, now: Date): KeyRecord[] {
  return records.filter(
    (r) => r.state === 'retiring' && r.retiringAt !== undefined && r.retiringAt.getTime() + settings.retiringGraceMs <= now.getTime(),
  );
}

/** Per use, the oldest next key published at least `autoPromoteAfterMs` ago (and not expired). */
export function dueForPromotion(records: readonly KeyRecord[], settings: ScheduleSettings, now: Date): KeyRecord[] {
  const after = settings.autoPromoteAfterMs;
  if (after === undefined) return [];
  const due = records
    .filter((r) => r.state === 'next' && r.publishedAt.getTime() + after <= now.getTime() && r.notAfter.getTime() > now.getTime())
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  return due.filter((r, i) => due.findIndex((o) => o.use === r.use) === i);
}

/** What the schedule does now: retire the keys whose grace ended, promote the due next keys. */
export function planSchedule(
  records: readonly KeyRecord[],
  settings: ScheduleSettings,
  now: Date,
  usable: (key: KeyRecord) => boolean = () => true,
): KeyChange[] {
  const retire = dueForRetirement(records, settings, now).map((r): KeyChange => ({
    id: r.id, use: r.use, from: 'retiring', to: 'retired', scheduled: true,
  }));
  const promote = dueForPromotion(records, settings, now)
    .filter(usable)
    .flatMap((r) => planPromote(records, r.id, now).map((c) => ({ ...c, scheduled: true })));
  return [...retire, ...promote];
}
