/** `pont db migrate` failures through the real command (the success path is in test/server/serve.test.ts). */
import { describe, expect, it } from 'vitest';
import { pont, singleErrorLine } from './run-pont.ts';

describe('pont db migrate', () => {
  it('an unreachable PostgreSQL is one line and exit 5, without the password', async () => {
    const r = await pont(['db', 'migrate'], { DATABASE_URL: 'postgres://pont:hunter2@127.0.0.1:1/pont' });
    expect(r.code).toBe(5);
    expect(singleErrorLine(r)).toBe('pont: database: database unreachable at 127.0.0.1:1 (ECONNREFUSED)');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});
