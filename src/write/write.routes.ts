// Editors' writes: POST creates a claim, source or entity; PUT replaces one whole. The three resources share
// one implementation, each described by its schemas and its write-service calls.
//   POST: 201 with Location and ETag; an Idempotency-Key makes a retry return the first response.
//   PUT:  needs If-Match (428 without, 412 when stale); the check and the write share one transaction.
// Both need an API key with scope `editor` (auth/auth.plugin.ts reads `config.scope`); the key's name becomes
// the revision's author and the body's `reason` its edit summary.
import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withArticle } from '../domain/labels.js';
import type { ResourceType } from '../domain/vocabulary.js';
import { requireIfMatch, sendTagged, type Tagged } from '../http/conditional.js';
import { collectionUrl, recordUrl } from '../http/links.js';
import { ETAG_HEADER, LOCATION_HEADER, responses } from '../http/responses.js';

const REPLAYED_HEADER = {
  'Idempotent-Replayed': { type: 'string', description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key: nothing was created now.' },
} as const;
import { IdParams } from '../http/schemas.js';
import type { IdempotencyRepository } from './idempotency.repository.js';
import type { Precondition, WriteMeta } from './write.service.js';

/** One writable resource: its schemas and the write-service calls behind them, typed against each other. */
interface WritableSpec<V extends { id: string }, C extends { reason: string }, P extends { reason: string }> {
  type: ResourceType;
  /** Singular name in operation ids: createClaim, replaceClaim. */
  name: 'Claim' | 'Source' | 'Entity';
  tag: string;
  view: z.ZodType<V>;
  createBody: z.ZodType<C>;
  replaceBody: z.ZodType<P>;
  tagged: (record: V) => Tagged;
  create: (input: Omit<C, 'reason'>, meta: WriteMeta) => V;
  replace: (id: string, input: Omit<P, 'reason'>, meta: WriteMeta, precondition: Precondition<V>) => V;
}

/** The same, with its types erased so that the three resources fit in one list. */
export type Writable = WritableSpec<{ id: string }, { reason: string }, { reason: string }>;

export const writable = <V extends { id: string }, C extends { reason: string }, P extends { reason: string }>(
  spec: WritableSpec<V, C, P>,
): Writable => spec as unknown as Writable;

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Makes a retried POST safe: within 24 hours, the same key with the same body returns the first response (and ' +
        'creates nothing); the same key with a different body is refused (422). Keys are per API key.',
    )
    .meta({ examples: ['4f1c2a9e-7b0d-4c53-9a61-2e8f0d6b3c17'] }),
});

export const IfMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe('Required: the ETag of the version being changed, from your last GET. Missing: 428; stale: 412.')
    .meta({ examples: ['"Ul9b3Gk2mQ1x0cTq8yVwZ4nR7sA"'] }),
});

/** What makes two POSTs "the same request": method, path and the parsed body. */
const requestHash = (request: FastifyRequest) =>
  hash('sha256', `${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body)}`, 'hex');

function split<T extends { reason: string }>(body: T, author: string) {
  const { reason, ...input } = body;
  return { input, meta: { author, reason } satisfies WriteMeta };
}

export const writeRoutes: FastifyPluginAsyncZod<{ resources: Writable[]; idempotency: IdempotencyRepository }> = async (
  app,
  { resources, idempotency },
) => {
  for (const r of resources) {
    const collection = collectionUrl(r.type);
    const aType = withArticle(r.type);

    app.post(
      collection,
      {
        config: { scope: 'editor' },
        schema: {
          operationId: `create${r.name}`,
          summary: `Create ${aType}`,
          description:
            `Creates ${aType} at revision 1. Choose a readable \`id\` or let the service generate one; an id that ` +
            'exists already is refused (409). The body is the read shape less the server-owned fields, plus `reason`.',
          tags: [r.tag],
          headers: IdempotencyHeaders,
          body: r.createBody,
          response: responses(
            { status: 201, description: `The new ${r.type}.`, schema: r.view, headers: { ...ETAG_HEADER, ...LOCATION_HEADER, ...REPLAYED_HEADER } },
            400, 409, 413, 415, 422,
          ),
        },
      },
      async (request, reply) => {
        const caller = request.apiKey!;
        const { input, meta } = split(request.body, caller.name);
        const produce = () => {
          const record = r.create(input, meta);
          const { json, etag } = r.tagged(record);
          return { status: 201, location: recordUrl(r.type, record.id), etag, body: json };
        };
        const key = request.headers['idempotency-key'];
        const response =
          key === undefined
            ? { ...produce(), replayed: false }
            : idempotency.run({ holder: caller.id, key, requestHash: requestHash(request) }, produce);
        if (response.replayed) reply.header('idempotent-replayed', 'true');
        reply.header('location', response.location);
        return sendTagged(request, reply, { json: response.body, etag: response.etag }, response.status);
      },
    );

    app.put(
      `${collection}/:id`,
      {
        config: { scope: 'editor' },
        schema: {
          operationId: `replace${r.name}`,
          summary: `Replace ${aType}`,
          description:
            `Replaces the whole ${r.type} with the body and records a new revision. Send the ETag of the version you ` +
            'edited in If-Match: without it the answer is 428, and if the record changed since, 412 and nothing is written. ' +
            `A body that leaves the ${r.type} as it is records nothing (its \`reason\` is not kept): the answer is 200 with ` +
            `the ${r.type} unchanged, its revision and ETag as they were` +
            (r.type === 'claim'
              ? ', unless an entity, source or related claim it names was revised since its current revision: the new revision then pins those as they are now.'
              : '.'),
          tags: [r.tag],
          params: IdParams[r.type],
          headers: IfMatchHeaders,
          body: r.replaceBody,
          response: responses(
            { description: `The ${r.type} as it now is.`, schema: r.view, headers: ETAG_HEADER },
            400, 404, 409, 412, 413, 415, 422, 428,
          ),
        },
      },
      async (request, reply) => {
        const ifMatch = request.headers['if-match'];
        const { input, meta } = split(request.body, request.apiKey!.name);
        // If-Match is read once the record is known to exist: a PUT to a mistyped id is told 404, not to add If-Match
        // first (428) and then 404.
        const record = r.replace(request.params.id, input, meta, (current) => requireIfMatch(ifMatch, r.type)(r.tagged(current).etag));
        return sendTagged(request, reply, r.tagged(record));
      },
    );
  }
};
