/** The one place where failures become an operator's line and exit code (README exit-code table). */
import { describe, expect, it } from 'vitest';
import { OidcRpError } from '../../src/back/oidc-rp/errors.ts';
import { CliError, describeError, EXIT } from '../../src/cli/errors.ts';
import { MetadataPublishError } from '../../src/metadata/publish/errors.ts';
import { XmlSecurityError } from '../../src/saml/errors.ts';
import { StorageError } from '../../src/storage/errors.ts';

describe('describeError', () => {
  it.each([
    ['an XML refusal names its reason code', new XmlSecurityError('DIGEST_MISMATCH'), /^refused: DIGEST_MISMATCH: /, EXIT.REFUSED],
    ['a usage error keeps its exit code', new CliError('--at: not a date', EXIT.USAGE), /^--at: not a date$/, EXIT.USAGE],
    ['an unreachable database', new StorageError('UNAVAILABLE', 'cannot reach 127.0.0.1:5432'), /^database: cannot reach/, EXIT.DATABASE],
    ['an unreadable metadata chain file', new MetadataPublishError('CHAIN_UNREADABLE', 'chain file x.pem unreadable'), /^metadata: chain file/, EXIT.STARTUP],
    ['a FranceConnect setting that does not fit', new OidcRpError('OIDC_CONFIG', 'the key file does not fit ES256'), /^franceconnect: /, EXIT.CONFIG],
    ['a missing file', Object.assign(new Error('x'), { code: 'ENOENT', path: 'in.xml' }), /^in\.xml: no such file or directory$/, EXIT.INPUT],
  ])('%s', (_title, err, line, code) => {
    const out = describeError(err);
    expect(out.message).toMatch(line);
    expect(out.message).not.toMatch(/\n\s+at /);
    expect(out.exitCode).toBe(code);
  });

  it('anything unexpected is an internal error, one line, exit 70', () => {
    const out = describeError(new TypeError('boom'));
    expect(out).toEqual({ message: 'internal error (TypeError): boom', exitCode: EXIT.INTERNAL });
  });
});
