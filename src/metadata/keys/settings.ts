/** The key lifecycle's settings, read from the configuration once (durations in milliseconds). */
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';

export interface KeySettings {
  /** Absolute path of the keys directory. */
  dir: string;
  minRsaBits: number;
  retiringGraceMs: number;
  /** Undefined: no automatic promotion. */
  autoPromoteAfterMs: number | undefined;
  expiryWarningMs: number;
  refreshIntervalMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function keySettingsFrom(config: Config): KeySettings {
  const k = config.keys;
  return {
    dir: resolve(k.dir),
    minRsaBits: config.crypto.minRsaBits,
    retiringGraceMs: k.retiringGraceHours * HOUR,
    autoPromoteAfterMs: k.autoPromoteAfterDays === undefined ? undefined : k.autoPromoteAfterDays * DAY,
    expiryWarningMs: k.expiryWarningDays * DAY,
    refreshIntervalMs: k.refreshIntervalSeconds * 1000,
  };
}
