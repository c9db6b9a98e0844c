// Keyset pagination: the cursor is an opaque token holding the last key of the page (a record id, or a number
// for revisions and the change feed); the next page starts after it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SLUG } from '../domain/ids.js';
import { AppError } from './problems.js';

export function encodeCursor(lastKey: string | number): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    return (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }).after;
  } catch {
    return undefined;
  }
}

const invalid = () =>
  new AppError('invalid-cursor', 'The cursor is not one this service issued; request the first page without it');

/** The last id of the previous page, or null for the first page. */
export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const after = decode(cursor);
  if (typeof after === 'string' && SLUG.test(after)) return after;
  throw invalid();
}

/** The last number (revision, commit sequence) of the previous page, or 0 for the first page. */
export function decodeNumberCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const after = decode(cursor);
  if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  throw invalid();
}

/** The URL of this request with these query parameters set, and those given as undefined removed: the next page's link. */
export function withParams(request: FastifyRequest, set: Record<string, string | undefined>): string {
  const [path, query = ''] = request.url.split('?');
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(set)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  return `${path}?${params.toString()}`;
}

/** Sets the Link header and returns the body's page fields for a page that may have a successor. */
export function pageFields(request: FastifyRequest, reply: FastifyReply, lastKey: string | number | null) {
  return pageFieldsFor(request, reply, lastKey === null ? null : encodeCursor(lastKey));
}

/**
 * The same, for a list whose cursor the caller encodes itself (the claims list, with its several sorts); `also`:
 * parameters the next page needs besides the cursor (a relaxed search's match=any).
 */
export function pageFieldsFor(request: FastifyRequest, reply: FastifyReply, cursor: string | null, also: Record<string, string> = {}) {
  if (cursor === null) return { nextCursor: null, links: { next: null } };
  const next = withParams(request, { ...also, cursor });
  reply.header('link', `<${next}>; rel="next"`);
  return { nextCursor: cursor, links: { next } };
}

/**
 * Page fields for a feed that never ends: there is always a cursor to resume from, even when the page is empty.
 * The Link header is sent only while more items are already waiting.
 */
export function feedFields(request: FastifyRequest, reply: FastifyReply, param: string, lastKey: number, more: boolean) {
  const cursor = encodeCursor(lastKey);
  const next = withParams(request, { [param]: cursor });
  if (more) reply.header('link', `<${next}>; rel="next"`);
  return { nextCursor: cursor, links: { next } };
}
