import type { Clock } from '../../src/storage/index.ts';

/** A clock that stays where the test puts it. */
export interface PinnedClock {
  clock: Clock;
  at(iso: string): void;
  advance(ms: number): void;
  now(): Date;
}

export function pinnedClock(iso: string): PinnedClock {
  let now = new Date(iso).getTime();
  return {
    clock: () => new Date(now),
    at: (next) => {
      now = new Date(next).getTime();
    },
    advance: (ms) => {
      now += ms;
    },
    now: () => new Date(now),
  };
}
