/**
 * What a test asserts about a refusal: the reason code, whether the requester was authenticated
 * (an answer may go to its ACS) and the SAML status that answer carries (attacks.md §0.2).
 */
import { classify, createSamlIdp, decodeGet, decodePost, responseStatusOf, type ValidatedRequest } from '../../../../src/front/saml-idp/index.ts';
import type { World } from './world.ts';
import { postBody } from './world.ts';

export interface Outcome {
  reason: string;
  /** PS-ERR: a signed error Response goes to the ACS; PS-400: a page and nothing sent. */
  kind: 'PS-400' | 'PS-ERR' | 'ACCEPTED';
  top?: string;
  second?: string;
  acsUrl?: string;
}

export async function outcomeOf(action: () => Promise<unknown>): Promise<Outcome> {
  try {
    await action();
    return { reason: 'ACCEPTED', kind: 'ACCEPTED' };
  } catch (e) {
    const failure = classify(e);
    if (failure.reason === 'INTERNAL') throw e;
    const status = failure.target ? responseStatusOf(failure) : undefined;
    if (!failure.target || !status) return { reason: failure.reason, kind: 'PS-400' };
    return {
      reason: failure.reason,
      kind: 'PS-ERR',
      top: status.top,
      ...(status.second ? { second: status.second } : {}),
      acsUrl: failure.target.acsUrl,
    };
  }
}

export function validatePost(w: World, xml: string, relayState?: string): Promise<ValidatedRequest> {
  return createSamlIdp(w.settings, w.deps).validate(decodePost(postBody(xml, relayState), ''));
}

export function validateGet(w: World, query: string): Promise<ValidatedRequest> {
  return createSamlIdp(w.settings, w.deps).validate(decodeGet(query));
}

export const STATUS_SHORT = (uri: string | undefined): string | undefined => uri?.split(':').pop();
