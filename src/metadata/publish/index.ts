/** Our signed SAML metadata (issue 3, CONTRACT-3 METADATA part): public API, re-exports only. */
export type { Role, MetadataPublisher, PublishedDocument, MetadataKeySource, PublishedKey, PublisherConfig, KeyUse } from './types.ts';
export { ROLES } from './types.ts';
export { createMetadataPublisher, type MetadataPublisherOptions } from './publisher.ts';
export { metadataRouter, METADATA_CONTENT_TYPE } from './router.ts';
export { entityIdFor, metadataPathFor, ssoUrl, acsUrl } from './urls.ts';
export { MetadataPublishError, METADATA_PUBLISH_CODES, type MetadataPublishCode } from './errors.ts';
