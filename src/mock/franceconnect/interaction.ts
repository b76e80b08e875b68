/**
 * The mock's interaction: the test-citizen picking page, skipped when `login_hint` names a
 * known citizen (scripted tests). There is no consent step (FranceConnect has none): login
 * and grant are given in one result. Cancelling answers the client with `access_denied`.
 */
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Citizen } from './citizens.ts';
import type { Misbehaviour } from './misbehave.ts';
import type { FranceConnectPlatform } from '../../pivot/index.ts';
import { errorPage, pickerPage } from './pages.ts';

export interface InteractionDeps {
  provider: Provider;
  profile: FranceConnectPlatform;
  citizens: readonly Citizen[];
  byId: ReadonlyMap<string, Citizen>;
  misbehaviour: () => Misbehaviour | undefined;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

function param(details: Details, name: string): string | undefined {
  const v = details.params[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * The acr granted for the requested `acr_values`: the highest requested level the platform
 * offers; the platform default when none was asked. `undefined` when only levels the
 * platform does not offer were asked (FranceConnect+ refuses eidas1).
 */
export function grantedAcr(profile: FranceConnectPlatform, requested: string | undefined): string | undefined {
  const asked = (requested ?? '').split(' ').filter((v) => v.length > 0);
  if (asked.length === 0) return profile.defaultAcr;
  const offered = profile.acrValues.filter((v) => asked.includes(v));
  return offered[offered.length - 1];
}

function acrFor(deps: InteractionDeps, details: Details): string | undefined {
  return deps.misbehaviour()?.acr ?? grantedAcr(deps.profile, param(details, 'acr_values'));
}

async function finish(deps: InteractionDeps, req: Request, res: Response, result: InteractionResults): Promise<void> {
  const url = await deps.provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
  res.redirect(303, url);
}

async function loginAs(deps: InteractionDeps, req: Request, res: Response, details: Details, citizen: Citizen, acr: string): Promise<void> {
  const grant = new deps.provider.Grant({ accountId: citizen.id, clientId: String(details.params.client_id) });
  grant.addOIDCScope(param(details, 'scope') ?? 'openid');
  const missingClaims = (details.prompt.details as { missingOIDCClaims?: string[] }).missingOIDCClaims;
  if (missingClaims && missingClaims.length > 0) grant.addOIDCClaims(missingClaims);
  const grantId = await grant.save();
  await finish(deps, req, res, { login: { accountId: citizen.id, acr, amr: ['pwd'] }, consent: { grantId } });
}

async function loadDetails(deps: InteractionDeps, req: Request, res: Response): Promise<Details | undefined> {
  try {
    const details = await deps.provider.interactionDetails(req, res);
    if (details.uid !== req.params.uid) throw new Error('interaction mismatch');
    return details;
  } catch {
    res.status(400).type('html').send(errorPage('invalid_request', 'Session de connexion introuvable ou expirée.'));
    return undefined;
  }
}

async function showOrSkip(deps: InteractionDeps, req: Request, res: Response): Promise<void> {
  const details = await loadDetails(deps, req, res);
  if (!details) return;
  const acr = acrFor(deps, details);
  if (acr === undefined) {
    await finish(deps, req, res, { error: 'invalid_request', error_description: 'acr_values not supported on this platform' });
    return;
  }
  const hint = param(details, 'login_hint');
  const hinted = hint ? deps.byId.get(hint) : undefined;
  if (hinted) return loginAs(deps, req, res, details, hinted, acr);
  res.set('Cache-Control', 'no-store');
  res.type('html').send(
    pickerPage({
      action: `${req.baseUrl}/interaction/${details.uid}/login`,
      cancelAction: `${req.baseUrl}/interaction/${details.uid}/abort`,
      clientId: String(details.params.client_id),
      acr,
      citizens: deps.citizens,
      unknownHint: hint,
    }),
  );
}

async function pick(deps: InteractionDeps, req: Request, res: Response): Promise<void> {
  const details = await loadDetails(deps, req, res);
  if (!details) return;
  const chosen = typeof req.body?.citizen === 'string' ? deps.byId.get(req.body.citizen) : undefined;
  const acr = acrFor(deps, details);
  if (!chosen || acr === undefined) {
    res.status(400).type('html').send(errorPage('invalid_request', 'Choisissez une des identités proposées.'));
    return;
  }
  await loginAs(deps, req, res, details, chosen, acr);
}

async function abort(deps: InteractionDeps, req: Request, res: Response): Promise<void> {
  const details = await loadDetails(deps, req, res);
  if (!details) return;
  await finish(deps, req, res, { error: 'access_denied', error_description: 'User auth aborted' });
}

export function interactionRouter(deps: InteractionDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });
  router.get('/interaction/:uid', (req, res, next) => showOrSkip(deps, req, res).catch(next));
  router.post('/interaction/:uid/login', form, (req, res, next) => pick(deps, req, res).catch(next));
  router.post('/interaction/:uid/abort', form, (req, res, next) => abort(deps, req, res).catch(next));
  return router;
}
