// The one table of error codes and the typed error that carries them. Every error body the service sends is
// built from this table by http/error-handler.ts.
export const PROBLEMS = {
  'invalid-request': { status: 400, title: 'Invalid request', description: 'A parameter or the body is malformed, or the query string is not valid percent-encoded UTF-8; `errors` lists each problem with its JSON pointer.' },
  'invalid-query': { status: 400, title: 'Invalid search query', description: 'The search query `q` has nothing to search for, or is too long; `detail` says which and how to fix it.' },
  'too-many-parameters': { status: 400, title: 'Too many parameters', description: 'The query string has more parameters than the service accepts (20 by default).' },
  'invalid-cursor': { status: 400, title: 'Invalid cursor', description: 'The cursor is malformed or was issued for another query; start again without it.' },
  'unauthorized': { status: 401, title: 'Unauthorized', description: 'Writes need `Authorization: Bearer <key>` with a valid API key; the key is missing, unknown, revoked or expired.' },
  'forbidden': { status: 403, title: 'Forbidden', description: 'The API key is valid but its scope does not allow this operation (retraction needs `admin`).' },
  'not-found': { status: 404, title: 'Not found', description: 'No route matches the path.' },
  'claim-not-found': { status: 404, title: 'Claim not found', description: 'No claim has this id.' },
  'source-not-found': { status: 404, title: 'Source not found', description: 'No source has this id.' },
  'entity-not-found': { status: 404, title: 'Entity not found', description: 'No entity has this id.' },
  'revision-not-found': { status: 404, title: 'Revision not found', description: 'The record exists but has no revision with this number.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', description: 'The path exists but not for this method; the Allow header lists the methods it takes.' },
  'not-acceptable': { status: 406, title: 'Not acceptable', description: 'None of the media types in Accept can be served.' },
  'request-timeout': { status: 408, title: 'Request timeout', description: 'The whole request (headers and body) did not arrive within the time allowed (30 s by default); the connection is closed.' },
  'already-exists': { status: 409, title: 'Already exists', description: 'A record with this id exists; ids are never reused.' },
  'claim-retracted': { status: 409, title: 'Claim retracted', description: 'The claim is retracted; a retracted claim is kept as it was and cannot be changed or retracted again.' },
  'precondition-failed': { status: 412, title: 'Precondition failed', description: 'The record changed since the ETag in If-Match was read; nothing was written. GET it again and reapply the change.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The body exceeds the limit (1 MiB by default).' },
  'uri-too-long': { status: 414, title: 'URI too long', description: 'The query string is longer than the service accepts (2,048 characters by default).' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'The body is not in a media type the operation reads, or not in UTF-8: send JSON as application/json, and an import as application/x-ndjson; `detail` says which.' },
  'invalid-reference': { status: 422, title: 'Invalid reference', description: 'The body refers to a record that does not exist, or that it cannot refer to (itself); `errors` points at each reference.' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused', description: 'This Idempotency-Key was used in the last 24 hours for a different request; use a new key for a new request.' },
  'precondition-required': { status: 428, title: 'Precondition required', description: 'Changes need an If-Match header with the ETag of the version being changed, so that no edit is lost.' },
  'too-many-requests': { status: 429, title: 'Too many requests', description: 'The rate limit is spent: reads and writes have separate budgets per API key, or per client address without one. Retry after the delay in Retry-After; RateLimit-* headers show the budget.' },
  'headers-too-large': { status: 431, title: 'Request header fields too large', description: 'The request line and headers exceed the limit (16 KiB by default); the connection is closed.' },
  'internal-error': { status: 500, title: 'Internal error', description: 'The service failed; the request id identifies the failure in the logs.' },
  'service-unavailable': { status: 503, title: 'Service unavailable', description: 'The service is starting, stopping or overloaded, or (for a write) another process holds the database\'s write lock and nothing was written; retry after the delay given.' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface IssueDetail {
  in: 'path' | 'query' | 'header' | 'body';
  pointer: string;
  detail: string;
}

/** Thrown by use cases and repositories; the error handler turns it into problem+json. */
export class AppError extends Error {
  readonly code: ProblemCode;
  readonly errors: IssueDetail[] | undefined;
  constructor(code: ProblemCode, detail: string, errors?: IssueDetail[]) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.errors = errors;
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export const problemType = (code: ProblemCode) => `/problems/${code}`;
