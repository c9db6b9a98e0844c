// Keyset pagination: the cursor is an opaque token holding the last id of the page; the next page starts after it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SLUG } from '../domain/ids.js';
import { AppError } from './problems.js';

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && SLUG.test(decoded.after)) return decoded.after;
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw new AppError('invalid-cursor', 'The cursor is not one this service issued; request the first page without it');
}

/** Sets the Link header and returns the body's page fields for a page that may have a successor. */
export function pageFields(request: FastifyRequest, reply: FastifyReply, lastId: string | null) {
  if (lastId === null) return { nextCursor: null, links: { next: null } };
  const cursor = encodeCursor(lastId);
  const [path, query = ''] = request.url.split('?');
  const params = new URLSearchParams(query);
  params.set('cursor', cursor);
  const next = `${path}?${params.toString()}`;
  reply.header('link', `<${next}>; rel="next"`);
  return { nextCursor: cursor, links: { next } };
}
