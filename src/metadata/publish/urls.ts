/**
 * Public URLs of our two entities, all under server.publicBaseUrl (so they are right behind
 * a reverse proxy): the entityID is the URL the metadata is served at (R-MD-02).
 */
import type { PublisherConfig, Role } from './types.ts';

type UrlConfig = Pick<PublisherConfig, 'server' | 'metadata'>;

export function metadataPathFor(role: Role, config: UrlConfig): string {
  return role === 'proxy-service' ? config.metadata.proxyService.metadataPath : config.metadata.connector.metadataPath;
}

/** The entityID of `role` = its metadata URL under server.publicBaseUrl. */
export function entityIdFor(role: Role, config: UrlConfig): string {
  return publicUrl(metadataPathFor(role, config), config);
}

export function ssoUrl(config: UrlConfig): string {
  return publicUrl(config.metadata.proxyService.ssoPath, config);
}

export function acsUrl(config: UrlConfig): string {
  return publicUrl(config.metadata.connector.acsPath, config);
}

/** md:OrganizationURL when the configuration gives none: the node's public base URL. */
export function homeUrl(config: UrlConfig): string {
  return `${config.server.publicBaseUrl}/`;
}

/** publicBaseUrl never ends with a slash (the config schema strips it); paths start with one. */
function publicUrl(path: string, config: UrlConfig): string {
  return config.server.publicBaseUrl + path;
}
