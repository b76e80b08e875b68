/**
 * /readyz: every check runs (in parallel, each bounded by a timeout) and is named in the
 * answer; the node is ready only when all pass. Warnings (legacy crypto exceptions…) are
 * listed without making the node unready.
 */
export interface CheckResult {
  ok: boolean;
  /** Why it failed, or a short fact when it passed; never a secret. */
  detail?: string;
  [fact: string]: unknown;
}

export interface ReadinessCheck {
  name: string;
  run(): Promise<CheckResult>;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: Record<string, CheckResult>;
  warnings: string[];
}

export const CHECK_TIMEOUT_MS = 2_000;

export async function evaluateReadiness(
  checks: readonly ReadinessCheck[],
  warnings: readonly string[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((c) => runBounded(c, timeoutMs)));
  const entries = checks.map((c, i) => [c.name, results[i]!] as const);
  return {
    status: results.every((r) => r.ok) ? 'ready' : 'not ready',
    checks: Object.fromEntries(entries),
    warnings: [...warnings],
  };
}

async function runBounded(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check.run(), timeout]);
  } catch (e) {
    // A failed check is reported, never thrown: only the error's own message, which the
    // storage and key layers keep free of secrets.
    return { ok: false, detail: e instanceof Error ? e.message : 'check failed' };
  } finally {
    clearTimeout(timer);
  }
}
