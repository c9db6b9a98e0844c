// History that never changes: every record's list of revisions, each revision's permalink (the stored snapshot,
// with a claim's references pinned to the revisions they had, cacheable forever), and the change feed across all
// records in commit order.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { withArticle } from '../domain/labels.js';
import type { ResourceType } from '../domain/vocabulary.js';
import { negotiate } from '../http/accept.js';
import { addVary, etagOf, sendTagged, sendTaggedText } from '../http/conditional.js';
import { collectionUrl, recordUrl, revisionUrl } from '../http/links.js';
import { decodeNumberCursor, feedFields, pageFields } from '../http/pagination.js';
import { AppError, type ProblemCode } from '../http/problems.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { IdParams } from '../http/schemas.js';
import { HTML } from '../pages/page-responses.js';
import type { RevisionsRepository } from './revisions.repository.js';
import { ChangePage, ChangesQuery, HistoryQuery, RevisionPage, RevisionParams } from './revisions.schemas.js';

/** A resource with a history: where it lives and what a revision of it looks like. */
export interface Versioned {
  type: ResourceType;
  name: 'Claim' | 'Source' | 'Entity';
  tag: string;
  notFound: ProblemCode;
  exists: (id: string) => boolean;
  /** The documented shape of a revision snapshot. */
  revision: z.ZodType;
  /** What the permalink adds to the stored snapshot: the revision of each record it references (claims). */
  pin?: (snapshot: never, revisionOf: (type: ResourceType, id: string) => number | null) => unknown;
  /** The permalink as a page for people (claims), for a client that prefers text/html: the pinned revision, rendered. */
  page?: (pinned: never, request: FastifyRequest) => Promise<string>;
}

/** What a revision's permalink answers with when it has a page: JSON unless the client prefers HTML. */
const REVISION_MEDIA_TYPES = ['application/json', 'text/html'] as const;

// A revision never changes, so caches may keep it for as long as they like.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const VERSION_LINKS = {
  'Cache-Control': { type: 'string', description: '`public, max-age=31536000, immutable`: a revision never changes.' },
  Link: {
    type: 'string',
    description:
      'RFC 5829 links: `</v1/{collection}/{id}>; rel="latest-version"` (the record now, which may have changed or been retracted since) and `</v1/{collection}/{id}/revisions>; rel="version-history"`.',
  },
} as const;

/** The 200 of a revision with a page also lists text/html. */
function withPage<R extends Record<number, unknown>>(r: Versioned, map: R): R {
  if (r.page === undefined) return map;
  const ok = map[200] as { content: Record<string, unknown> };
  ok.content['text/html'] = {
    schema: { type: 'string', description: 'The revision as a page for people (Accept: text/html): the claim as recorded then, each entity, source and related claim as it was.' },
  };
  return map;
}

export const revisionsRoutes: FastifyPluginAsyncZod<{ resources: Versioned[]; revisions: RevisionsRepository }> = async (
  app,
  { resources, revisions },
) => {
  for (const r of resources) {
    const missing = (id: string) => new AppError(r.notFound, `No ${r.type} has id "${id}"`);

    app.get(
      `${collectionUrl(r.type)}/:id/revisions`,
      {
        schema: {
          operationId: `list${r.name}Revisions`,
          summary: `List the revisions of ${withArticle(r.type)}`,
          description: 'Every change, oldest first: number, time, the API key that made it, the edit summary and the action.',
          tags: [r.tag],
          params: IdParams[r.type],
          querystring: HistoryQuery,
          response: responses({ description: 'A page of revisions.', schema: RevisionPage }, 400, 404),
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!r.exists(id)) throw missing(id);
        // A cursor past the last revision gets an empty last page (nextCursor null), as every keyset list here does;
        // it is not refused like one past the change feed's end. That refusal protects a follower that keeps the
        // feed's cursor to resume from: an empty page would tell it it is up to date while it misses changes. A history
        // hands out no cursor on its last page, so nobody resumes from one; to see later revisions, list it again.
        const page = revisions.history(r.type, id, decodeNumberCursor(request.query.cursor), request.query.limit);
        const items = page.items.map(({ revision, action, time, author, reason }) => ({
          revision, action, time, author, reason, links: { self: revisionUrl(r.type, id, revision) },
        }));
        return { items, ...pageFields(request, reply, page.more ? items[items.length - 1]!.revision : null) };
      },
    );

    app.get(
      `${collectionUrl(r.type)}/:id/revisions/:revision`,
      {
        schema: {
          operationId: `get${r.name}Revision`,
          summary: `Get ${withArticle(r.type)} as it was at one revision`,
          description:
            'The permalink to cite: the record exactly as it was recorded at this revision, its own data' +
            (r.pin ? ', with each reference by id and pinned to the revision that record had then' : '') +
            '. It never changes, and is served with a long-lived, immutable Cache-Control. The `Link` header leads to ' +
            'the record as it is now (`rel="latest-version"`, which shows a later change or retraction) and to its history.' +
            (r.page
              ? ' A client that prefers text/html (a browser following a citation) gets the revision as a page for people, with ' +
                'each entity, source and related claim as it was then; any other client gets the JSON.'
              : ''),
          tags: [r.tag],
          params: IdParams[r.type].extend(RevisionParams),
          response: withPage(r, responses({ description: 'The revision.', schema: r.revision, headers: { ...ETAG_HEADER, ...VERSION_LINKS } }, 304, 400, 404)),
        },
      },
      async (request, reply) => {
        const { id, revision } = request.params;
        const stored = revisions.snapshot(r.type, id, revision);
        if (stored === null) {
          if (!r.exists(id)) throw missing(id);
          throw new AppError('revision-not-found', `The ${r.type} "${id}" has no revision ${revision}`);
        }
        // Pins are found from the revision's commit sequence, which never changes, so the body never does either.
        const json = r.pin
          ? JSON.stringify(r.pin(JSON.parse(stored.json) as never, (type, ref) => revisions.revisionBefore(type, ref, stored.seq)))
          : stored.json;
        const current = recordUrl(r.type, id);
        reply.header('link', `<${current}>; rel="latest-version", <${current}/revisions>; rel="version-history"`);
        if (r.page) {
          addVary(reply, 'Accept');
          // An Accept that allows neither still gets the JSON, as it always did: the page is an addition.
          if (negotiate(request.headers.accept, REVISION_MEDIA_TYPES) === 'text/html')
            // The page's ready-made citations carry today's date as "accessed": cached for a day, not for ever.
            return sendTaggedText(request, reply.header('cache-control', 'public, max-age=86400'), await r.page(JSON.parse(json) as never, request), HTML);
        }
        reply.header('cache-control', IMMUTABLE);
        return sendTagged(request, reply, { json, etag: etagOf(json) });
      },
    );
  }

  app.get(
    '/v1/changes',
    {
      schema: {
        operationId: 'listChanges',
        summary: 'Follow every change',
        description:
          'Every create, update and retraction of every claim, source and entity, in commit order. Start without ' +
          '`after`, fetch each change\'s revision permalink and apply it, and continue from `nextCursor`; a consumer ' +
          'that does so holds exactly the current data. An empty page means you are up to date.',
        tags: ['changes'],
        querystring: ChangesQuery,
        response: responses({ description: 'A page of changes.', schema: ChangePage }, 400),
      },
    },
    async (request, reply) => {
      const after = decodeNumberCursor(request.query.after);
      // Sequences only grow, so a position past the last change was never handed out here: it is another database's
      // (one loaded from an export numbers its changes anew) or altered. Answering an empty page would tell a mirror
      // it is up to date and let it miss every change until the feed caught up with that number.
      const last = revisions.lastSeq();
      if (after > last)
        throw new AppError('invalid-cursor', `The cursor is past the last change (${last}) of this feed: it was issued by another database or altered. Start again without \`after\`.`);
      const page = revisions.changes(after, request.query.limit);
      const items = page.items.map((c) => ({
        resourceType: c.resourceType,
        id: c.resourceId,
        revision: c.revision,
        action: c.action,
        time: c.time,
        author: c.author,
        reason: c.reason,
        links: { revision: revisionUrl(c.resourceType, c.resourceId, c.revision), current: recordUrl(c.resourceType, c.resourceId) },
      }));
      const next = page.items.length > 0 ? page.items[page.items.length - 1]!.seq : after;
      return { items, ...feedFields(request, reply, 'after', next, page.more) };
    },
  );
};
