/**
 * GET (and HEAD) of our two metadata documents at their configured routes, as
 * application/samlmetadata+xml with an ETag (If-None-Match answers 304) and a Cache-Control
 * max-age that ends when the document is due to be signed again, so no cache keeps a copy
 * past the point where a fresher one exists, let alone past its validUntil.
 */
import { Router, type RequestHandler } from 'express';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { MetadataPublisher, PublisherConfig, Role } from './types.ts';
import { ROLES } from './types.ts';
import { metadataPathFor } from './urls.ts';

export const METADATA_CONTENT_TYPE = 'application/samlmetadata+xml';

export function metadataRouter(
  publisher: MetadataPublisher,
  config: Pick<PublisherConfig, 'server' | 'metadata'>,
  options: { clock?: Clock } = {},
): Router {
  const clock = options.clock ?? systemClock;
  const router = Router();
  for (const role of ROLES) router.get(metadataPathFor(role, config), serve(publisher, role, clock));
  return router;
}

function serve(publisher: MetadataPublisher, role: Role, clock: Clock): RequestHandler {
  return async (req, res) => {
    const doc = await publisher.document(role);
    const maxAge = Math.max(0, Math.floor((doc.resignAt.getTime() - clock().getTime()) / 1000));
    res.set('Content-Type', `${METADATA_CONTENT_TYPE}; charset=utf-8`);
    res.set('Cache-Control', `public, max-age=${maxAge}`);
    res.set('ETag', doc.etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(doc.xml);
  };
}
