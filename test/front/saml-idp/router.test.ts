/**
 * The SSO endpoint as the flow uses it (issue 4 items 1 and 5): the three bindings reach
 * `onValidRequest`; the flow answers later with sendSuccess / sendFailure; the auto-post page
 * (src/web) is CSP-friendly (our script and styles, form-action to the ACS origin only, a
 * no-script button); the citizen error page (src/web) speaks French or English, names the
 * closest kind of failure and carries a support code, never a stack trace.
 */
import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { STATUS, type ValidatedRequest } from '../../../src/front/saml-idp/index.ts';
import { ASSET_URLS } from '../../../src/web/index.ts';
import { readAutoPost, readErrorResponse, testApp, type TestApp } from './support/http.ts';
import { LOA_SUBSTANTIAL, PERSON_ID, attributesFor, attributesOf, readBack } from './support/responses.ts';
import { ACS_DE, G_REQ, KEYS, NS, edited, euGetQuery, fixture, kid, postBody, redirectQuery, signedRequest, world, type World } from './support/world.ts';

const SSO = '/proxy-service/sso';
let w: World;
let t: TestApp;

/** A flow in miniature: keeps the ValidatedRequest, answers when told. */
function flowApp(): TestApp {
  return testApp(w, undefined, (app, idp, handed) => {
    app.post('/finish', (req, res) => idp.sendSuccess(req, res, handed[0]!, { attributes: attributesFor(), loa: LOA_SUBSTANTIAL, nameId: PERSON_ID }));
    app.post('/finish-low', (req, res) => idp.sendSuccess(req, res, handed[0]!, { attributes: attributesFor(), loa: 'http://eidas.europa.eu/LoA/low', nameId: PERSON_ID }));
    app.post('/refuse', (req, res) => idp.sendFailure(req, res, handed[0]!, 'CONSENT_REFUSED'));
  });
}

beforeEach(() => {
  w = world();
  t = flowApp();
});

describe('the three bindings reach the flow (R-MSG-28)', () => {
  it('R-MSG-28: HTTP-POST', async () => {
    const res = await request(t.app).post(SSO).type('form').send(postBody(await signedRequest(), 'rs'));
    expect([res.status, res.text, res.headers['cache-control']]).toEqual([200, 'on to FranceConnect', 'no-store']);
    expect(t.handed.map((v) => [v.binding, v.relayState])).toEqual([['HTTP-POST', 'rs']]);
  });

  it('R-MSG-28: HTTP-Redirect with the query signature', async () => {
    const res = await request(t.app).get(`${SSO}?${redirectQuery(fixture(G_REQ), { relayState: 'rs' })}`);
    expect(res.status).toBe(200);
    expect(t.handed.map((v) => v.binding)).toEqual(['HTTP-Redirect']);
  });

  it("R-MSG-28: the EU reference node's GET form", async () => {
    const res = await request(t.app).get(`${SSO}?${euGetQuery(await signedRequest())}`);
    expect(res.status).toBe(200);
    expect(t.handed.map((v) => v.binding)).toEqual(['HTTP-GET-enveloped']);
    expect(t.lines.find((l) => l.event === 'eidas.request.accepted')).toMatchObject({ issuer: 'https://connector.de.example/metadata' });
  });
});

describe('the flow answers (issue 4 item 5)', () => {
  it('R-RSP-17: sendSuccess auto-posts the signed, encrypted Response and the RelayState to the metadata ACS', async () => {
    await request(t.app).post(SSO).type('form').send(postBody(await signedRequest(), 'relay-é'));
    const res = await request(t.app).post('/finish');
    expect(res.status).toBe(200);
    const form = readAutoPost(res.text);
    expect([form.action, form.relayState]).toEqual([ACS_DE, 'relay-é']);
    const { assertion } = await readBack(form.samlResponse, KEYS.encRsa4096.privateKey);
    expect(attributesOf(assertion).find((a) => a.friendlyName === 'PersonIdentifier')!.values).toEqual([PERSON_ID]);
  });

  it('R-RSP-09 / R-SEC-11: consent refused is Responder/RequestDenied "Citizen consent not given."', async () => {
    await request(t.app).post(SSO).type('form').send(postBody(await signedRequest()));
    const error = await readErrorResponse((await request(t.app).post('/refuse')).text);
    expect([error.codes, error.message]).toEqual([[STATUS.RESPONDER, STATUS.REQUEST_DENIED], 'Citizen consent not given.']);
  });

  it('R-MSG-24 / ATK-44: a level below the request is never reported: Responder/NoAuthnContext instead', async () => {
    await request(t.app).post(SSO).type('form').send(postBody(await signedRequest()));
    const error = await readErrorResponse((await request(t.app).post('/finish-low')).text);
    expect(error.codes).toEqual([STATUS.RESPONDER, STATUS.NO_AUTHN_CONTEXT]);
    expect(t.rejections()).toEqual(['LOA_NOT_MET']);
  });

  it('DESIGN §1 step 7: a failure of the flow after validation is a signed Responder error Response, not a stack trace', async () => {
    const failing = testApp(w, () => {
      throw new Error('database unavailable at /srv/secret/path');
    });
    const res = await request(failing.app).post(SSO).type('form').send(postBody(await signedRequest()));
    const error = await readErrorResponse(res.text);
    expect(error.codes).toEqual([STATUS.RESPONDER]);
    expect(res.text).not.toContain('secret');
    expect(failing.rejections()).toEqual(['INTERNAL']);
  });
});

describe('the auto-post page (ATK-49, CSP; the shared page of src/web)', () => {
  async function errorPage(): Promise<request.Response> {
    const xml = await signedRequest(fixture(G_REQ).replace('ForceAuthn="true"', 'ForceAuthn="false"'));
    return request(t.app).post(SSO).type('form').send(postBody(xml, 'rs'));
  }

  it("ATK-49: the CSP lets the form go to the ACS origin only (helmet's form-action 'self' relaxed), loads our own script and styles only", async () => {
    const res = await errorPage();
    const csp = String(res.headers['content-security-policy']);
    expect(csp.split('; ')).toEqual([
      "default-src 'self'",
      "script-src 'self'",
      "script-src-attr 'none'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "object-src 'none'",
      'form-action https://connector.de.example',
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ATK-49: the DSFR stylesheet the page links is served from our origin, which the CSP allows', async () => {
    const res = await errorPage();
    const sheets = [...res.text.matchAll(/<link rel="stylesheet" href="([^"]*)">/g)].map((m) => m[1]!);
    expect(sheets).toContain(ASSET_URLS.dsfrCss);
    for (const href of sheets) {
      expect(href).toMatch(/^\/assets\//); // same origin: style-src 'self'
      const sheet = await request(t.app).get(href);
      expect([sheet.status, sheet.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/css/)]);
    }
  });

  it('ATK-49: no inline script; the script comes from our origin; a button submits without JavaScript', async () => {
    const res = await errorPage();
    expect(res.text.match(/<script[^>]*>/g)).toEqual([`<script src="${ASSET_URLS.autoPostScript}">`]);
    expect(res.text).toMatch(/<button class="fr-btn" type="submit">Continuer<\/button>/);
    const script = await request(t.app).get(ASSET_URLS.autoPostScript);
    expect(script.headers['content-type']).toMatch(/^application\/javascript/);
    expect(script.text).toContain('document.getElementById("pont-autopost")');
    expect(script.text).toContain('form.submit()');
  });

  it('the IdP router mounts the SSO endpoint only: the script is the one assetsRouter() of src/web serves', async () => {
    const idpOnly = express().use(t.idp.router(() => undefined));
    expect((await request(idpOnly).get('/proxy-service/auto-post.js')).status).toBe(404);
    expect((await request(idpOnly).get(ASSET_URLS.autoPostScript)).status).toBe(404);
  });

  it('the page speaks English to a browser that prefers it', async () => {
    const xml = await signedRequest(fixture(G_REQ).replace('ForceAuthn="true"', 'ForceAuthn="false"'));
    const res = await request(t.app).post(SSO).type('form').set('Accept-Language', 'en-GB,en;q=0.9,fr;q=0.5').send(postBody(xml));
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<button class="fr-btn" type="submit">Continue</button>');
  });
});

describe('the citizen error page (DESIGN §6, the shared page of src/web)', () => {
  const supportCode = () => t.lines.find((l) => l.event === 'eidas.request.rejected')!.supportCode as string;

  it('PS-400: French by default, what happened, what to do, the support code of the log line; no stack', async () => {
    const res = await request(t.app).post(SSO).type('form').send(postBody(fixture(G_REQ)));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('<h1>La demande de connexion n’est pas valide</h1>');
    expect(res.text).toContain('Erreur 400');
    expect(res.text).toContain('Ce que vous pouvez faire');
    expect(supportCode()).toMatch(/^[0-9A-F]{10}$/);
    expect(res.text).toContain(`<span class="pont-support-code">${supportCode()}</span>`);
    expect(res.text).not.toMatch(/at .*\.ts|SIG_MISSING|Error/);
    expect(res.text).not.toContain('<script');
  });

  it('PS-400: English for Accept-Language en', async () => {
    const res = await request(t.app).post(SSO).type('form').set('Accept-Language', 'en').send(postBody(fixture(G_REQ)));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<h1>The sign-in request is not valid</h1>');
    expect(res.text).toContain(`<span class="pont-support-code">${supportCode()}</span>`);
  });

  it('PS-400 on GET: no language switch (the SSO URL cannot show the page again without a new refusal)', async () => {
    const res = await request(t.app).get(`${SSO}?SAMLRequest=${encodeURIComponent('not base64 deflate')}`);
    expect(res.status).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(`<span class="pont-support-code">${supportCode()}</span>`);
    expect(res.text).not.toContain('?lang=');
  });

  it('ATK-46 / R-MSG-05: an unknown issuer gets the "service not recognised" page (ISSUER), nothing sent', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => (kid(root, NS.saml, 'Issuer').textContent = 'https://unknown.example/md')), KEYS.evil);
    const res = await request(t.app).post(SSO).type('form').send(postBody(xml));
    expect([res.status, t.rejections()]).toEqual([400, ['ISSUER']]);
    expect(res.text).toContain('<h1>Ce service n’est pas reconnu</h1>');
    expect(res.text).not.toContain('SAMLResponse');
  });

  it('ATK-38 / R-MSG-01: a replay gets the "session expired" page (REPLAY), nothing sent', async () => {
    const body = postBody(await signedRequest());
    await request(t.app).post(SSO).type('form').send(body);
    const res = await request(t.app).post(SSO).type('form').send(body);
    expect([res.status, t.rejections()]).toEqual([400, ['REPLAY']]);
    expect(res.text).toContain('<h1>Votre session a expiré</h1>');
    expect(res.text).not.toContain('SAMLResponse');
  });

  it('ATK-51: a body over the limit is a 413 "request not valid" page (SIZE)', async () => {
    const res = await request(t.app).post(SSO).type('form').send(`SAMLRequest=${'A'.repeat(300 * 1024)}`);
    expect([res.status, t.rejections()]).toEqual([413, ['SIZE']]);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Erreur 413');
    expect(res.text).toContain('<h1>La demande de connexion n’est pas valide</h1>');
    expect(res.text).toContain(`<span class="pont-support-code">${supportCode()}</span>`);
  });

  it('R-SEC-07: the log line names the reason, never the message or a value of it', async () => {
    await request(t.app).post(SSO).type('form').send(postBody(fixture(G_REQ), 'secret-relay'));
    const line = JSON.stringify(t.lines);
    expect(line).toContain('"reason":"SIG_MISSING"');
    expect(line).not.toMatch(/secret-relay|Bürgerservice|SAMLRequest|PHNhbWw/);
  });
});

describe('ValidatedRequest is what the flow stores', () => {
  it('is plain JSON that survives a round trip through the flow state', async () => {
    await request(t.app).post(SSO).type('form').send(postBody(await signedRequest()));
    const stored: ValidatedRequest = JSON.parse(JSON.stringify(t.handed[0]));
    expect(stored).toEqual(t.handed[0]);
  });
});
