// Response maps for route schemas: the success body plus a documented problem+json body for each error status,
// and, where a route answers conditional requests, a bodiless 304.
import type { z } from 'zod';
import { Problem } from './schemas.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameters or body (`invalid-request`, `invalid-cursor`), a search that cannot be run (`invalid-query`), or too many query parameters (`too-many-parameters`); `errors` lists every problem with its JSON pointer.',
  401: 'No API key, or an unknown, revoked or expired one (`unauthorized`).',
  403: 'The API key lacks the scope this operation needs (`forbidden`).',
  404: 'No record with this id (`*-not-found`), or no such revision (`revision-not-found`).',
  406: 'None of the accepted media types can be served.',
  409: 'A record with this id already exists (`already-exists`), or the claim is retracted (`claim-retracted`).',
  412: 'The record changed since the ETag in If-Match was read (`precondition-failed`); nothing was written.',
  413: 'The body is larger than the limit, 1 MiB by default (`payload-too-large`).',
  414: 'The query string is longer than the limit, 2,048 characters by default (`uri-too-long`).',
  415: 'The body is not in the media type this operation reads (application/json unless stated), or not in UTF-8 (`unsupported-media-type`).',
  422: 'The body refers to records that do not exist (`invalid-reference`), or the Idempotency-Key was used for a different request (`idempotency-key-reused`).',
  428: 'If-Match is missing (`precondition-required`).',
  429: 'The rate limit is spent (`too-many-requests`): reads and writes have separate budgets per API key, or per client address without one. Retry-After says when to retry; RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset describe the budget.',
  500: 'The service failed (`internal-error`); the body carries the request id.',
  503: 'Overloaded, shutting down, starting (facets without a search, and readiness, until the search columns are read), the database does not answer (readiness), or, for a write, another process holds the database\'s write lock and nothing was written (`service-unavailable`). Retry-After says when to retry.',
};

/** Response headers documented on success responses (the OpenAPI transform in http/openapi.ts keeps them). */
export const ETAG_HEADER = {
  ETag: { type: 'string', description: 'Strong validator of this representation; changes whenever the body would change. Send it back in If-Match to change the record, or in If-None-Match to revalidate.' },
} as const;
export const LOCATION_HEADER = { Location: { type: 'string', description: 'The URL of the new record.' } } as const;

const RETRY_AFTER = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying.' } } as const;
/**
 * Headers sent with a refusal: when to retry. The rate budget (RateLimit-*), sent on every answer, is documented on
 * every response at once (documentCommonHeaders in openapi.ts).
 */
const ERROR_HEADERS: Record<number, Record<string, { type: string; description: string }>> = {
  429: RETRY_AFTER,
  503: RETRY_AFTER,
  401: { 'WWW-Authenticate': { type: 'string', description: '`Bearer realm="claims-api"`, with `error="invalid_token"` when a key was sent but not accepted (RFC 6750).' } },
};

/** A problem+json response entry; also used by the auth plugin to document 401 and 403. */
export function problemResponse(status: number) {
  const headers = ERROR_HEADERS[status];
  return {
    description: ERROR_DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/problem+json': { schema: Problem } },
    ...(headers ? { headers } : {}),
  };
}

interface Ok<S extends z.ZodType> {
  status?: number;
  description: string;
  schema: S;
  headers?: Record<string, { type: string; description: string }>;
}

/** A bodiless Not Modified answer to If-None-Match, as documented. */
export const NOT_MODIFIED = { type: 'null', description: 'Not modified: the ETag in If-None-Match is current. No body.', headers: ETAG_HEADER } as const;

/**
 * The response map of a route: `ok` plus every listed error status (500 always). 304 in the list documents a
 * bodiless Not Modified answer to If-None-Match.
 */
export function responses<S extends z.ZodType>(ok: Ok<S>, ...errors: number[]) {
  const map: Record<number, unknown> = {
    [ok.status ?? 200]: {
      description: ok.description,
      content: { 'application/json': { schema: ok.schema } },
      ...(ok.headers ? { headers: ok.headers } : {}),
    },
  };
  for (const status of [...errors, 500]) {
    map[status] =
      status === 304
        ? NOT_MODIFIED
        : problemResponse(status);
  }
  return map as { [K in number]: { description: string; content: { 'application/json': { schema: S } } } };
}
