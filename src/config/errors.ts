/** A configuration that cannot be used: every problem is named by the key's path. */
import type { z } from 'zod';

export interface ConfigIssue {
  /** Dotted key path, e.g. `server.port` or `crypto.legacyPeers[0].entityId`; '' for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    /** What was read, e.g. "config/default.json + prod.json + environment". */
    readonly source?: string,
  ) {
    super(`invalid configuration${source ? ` (${source})` : ''}: ${issues.map(formatIssue).join('; ')}`);
  }
}

function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** `['crypto', 'legacyPeers', 0, 'entityId']` → `crypto.legacyPeers[0].entityId`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, '');
}

/** zod issues → one ConfigIssue per problem; an unknown key is reported at its own path. */
export function issuesFromZod(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
