// Response maps for route schemas: the success body plus a documented problem+json body for each error status,
// and, where a route answers conditional requests, a bodiless 304.
import type { z } from 'zod';
import { Problem } from './schemas.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameters or body (`invalid-request`, `invalid-cursor`); `errors` lists every problem with its JSON pointer.',
  401: 'No API key, or an unknown, revoked or expired one (`unauthorized`).',
  403: 'The API key lacks the scope this operation needs (`forbidden`).',
  404: 'No record with this id (`*-not-found`), or no such revision (`revision-not-found`).',
  406: 'None of the accepted media types can be served.',
  409: 'A record with this id already exists (`already-exists`), or the claim is retracted (`claim-retracted`).',
  412: 'The record changed since the ETag in If-Match was read (`precondition-failed`); nothing was written.',
  413: 'The body is larger than the limit.',
  415: 'The body is not JSON.',
  422: 'The body refers to records that do not exist (`invalid-reference`), or the Idempotency-Key was used for a different request (`idempotency-key-reused`).',
  428: 'If-Match is missing (`precondition-required`).',
  500: 'The service failed; the body carries the request id.',
  503: 'Not ready: the database does not answer.',
};

/** Response headers documented on success responses (the OpenAPI transform in http/openapi.ts keeps them). */
export const ETAG_HEADER = {
  ETag: { type: 'string', description: 'Strong validator of this representation; changes whenever the body would change. Send it back in If-Match to change the record, or in If-None-Match to revalidate.' },
} as const;
export const LOCATION_HEADER = { Location: { type: 'string', description: 'The URL of the new record.' } } as const;

/** A problem+json response entry; also used by the auth plugin to document 401 and 403. */
export function problemResponse(status: number) {
  return { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: Problem } } };
}

interface Ok<S extends z.ZodType> {
  status?: number;
  description: string;
  schema: S;
  headers?: Record<string, { type: string; description: string }>;
}

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
        ? { type: 'null', description: 'Not modified: the ETag in If-None-Match is current. No body.', headers: ETAG_HEADER }
        : problemResponse(status);
  }
  return map as { [K in number]: { description: string; content: { 'application/json': { schema: S } } } };
}
