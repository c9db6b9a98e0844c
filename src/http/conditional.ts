// Conditional requests (RFC 9110 section 13). The ETag is a hash of the exact bytes served, so it is strong and
// changes whenever the representation does: with every revision, and also when a record the body embeds (a
// cited source's title, a claim that newly contradicts this one) changes.
import { hash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from './problems.js';
import { withArticle } from '../domain/labels.js';
import { serializerCompiler } from './serializer.js';

export interface Tagged {
  json: string;
  etag: string;
}

export const etagOf = (json: string): string => `"${hash('sha256', json, 'base64url').slice(0, 27)}"`;

/**
 * Serializes a value with the same compiled serializer a route uses for this schema and tags it. Routes that
 * send a tagged representation send `json` as it is, so the ETag is the hash of the bytes on the wire.
 */
export function tagger<S extends z.ZodType>(schema: S): (value: z.output<S>) => Tagged {
  const serialize = serializerCompiler({ schema });
  return (value) => {
    const json = serialize(value);
    return { json, etag: etagOf(json) };
  };
}

/** The entity tags of an If-Match or If-None-Match header; '*' for "any". */
function parseTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return header.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/** If-None-Match uses weak comparison: W/"x" matches "x". */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = parseTags(header);
  return tags === '*' || tags.some((t) => (t.startsWith('W/') ? t.slice(2) : t) === etag);
}

/**
 * Adds a request header to Vary, keeping those already named: CORS sets `Vary: Origin` before the handler runs, and
 * replacing it let a shared cache serve one origin's Access-Control-Allow-Origin to another, for a year on an
 * immutable revision.
 */
export function addVary(reply: FastifyReply, header: string): FastifyReply {
  const current = reply.getHeader('vary');
  const named = (Array.isArray(current) ? current.join(',') : String(current ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  if (named.some((h) => h === '*' || h.toLowerCase() === header.toLowerCase())) return reply;
  return reply.header('vary', [...named, header].join(', '));
}

/** Sends a tagged representation, or 304 when the client's copy (If-None-Match) is current. */
export function sendTagged(request: FastifyRequest, reply: FastifyReply, tagged: Tagged, status = 200, type = 'application/json; charset=utf-8'): FastifyReply {
  reply.header('etag', tagged.etag);
  if ((request.method === 'GET' || request.method === 'HEAD') && noneMatch(request.headers['if-none-match'], tagged.etag))
    return reply.code(304).send();
  return reply.code(status).type(type).send(tagged.json);
}

/**
 * Sends ready text (a page, the JSON-LD of a claim) the same way: tagged with the hash of its bytes, or 304. Pages
 * are rendered from a cache, so revalidating one costs a hash instead of a page.
 */
export const sendTaggedText = (request: FastifyRequest, reply: FastifyReply, body: string, type: string): FastifyReply =>
  sendTagged(request, reply, { json: body, etag: etagOf(body) }, 200, type);

/**
 * Reads If-Match for a change. Missing is 428; `*` is refused too, since it would let a client overwrite a
 * version it never saw. Returns the check to run, inside the write's transaction, against the current ETag.
 * If-Match uses strong comparison, so a weak tag never matches.
 */
export function requireIfMatch(header: string | undefined, what: string): (currentEtag: string) => void {
  if (header === undefined || header.trim() === '')
    throw new AppError('precondition-required', `Changing ${withArticle(what)} needs If-Match with the ETag from your last GET of it`);
  const tags = parseTags(header);
  if (tags === '*')
    throw new AppError('precondition-required', 'If-Match: * is not accepted; send the ETag of the version you are changing');
  return (currentEtag) => {
    // A weak tag never matches (strong comparison), even of the version current: saying it "has changed" misled.
    if (!tags.includes(currentEtag) && tags.every((t) => t.startsWith('W/')))
      throw new AppError('precondition-failed', `If-Match compares ETags strongly, so a weak one (${tags.join(', ')}) never matches; send the ETag as GET gave it, without W/. Nothing was written`);
    if (!tags.includes(currentEtag))
      throw new AppError('precondition-failed', `The ${what} has changed since ${tags.join(', ')} was read; nothing was written. GET it again and reapply your change`);
  };
}
