/**
 * The flows: which front pairs with which back (DESIGN §10). Proxy service: the SAML IdP front
 * (src/front/saml-idp) with the OIDC RP toward FranceConnect (src/back/oidc-rp).
 */
export { createFranceConnectRp, createProxyService, type ProxyServiceSetup } from './setup.ts';
export { proxyServiceRouter, type ProxyServiceDeps } from './proxy-service.ts';
export { PROXY_FLOW_COOKIE, PROXY_FLOW_COOKIE_PATH } from './flow-cookie.ts';
export { PROXY_CONSENT_PATH } from './proxy-consent.ts';
export { PROXY_FLOW_KIND, PROXY_FLOW_TTL_MS, type ProxyFlowState, type ProxyOutcome } from './proxy-state.ts';
export { franceConnectRequestOf, outcomeOf, reportedLoa, type MappingSettings } from './proxy-mapping.ts';
export { classifyFailure, FlowError, FLOW_REASONS, type FlowReason, type ClassifiedFailure } from './errors.ts';
export { developmentStateDir, resolveIdentifierSecret } from './identifier-secret.ts';
