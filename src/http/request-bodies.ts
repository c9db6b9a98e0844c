// Which request bodies the service reads: JSON (application/json) on every write, or what a route lists in its
// schema's `consumes` (the import's NDJSON), and in both cases UTF-8. Anything else is 415 with a detail that
// names what to send instead.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest, preParsingHookHandler } from 'fastify';
import { AppError } from './problems.js';

/** Labels of UTF-8 (WHATWG Encoding Standard). Fastify decodes every text body as UTF-8, whatever the header says. */
const UTF8 = new Set(['utf-8', 'utf8']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

const charsetOf = (contentType: string | undefined) => (contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1]);

/** A header value echoed in a detail: quoted, and short whatever the client sent. */
const quoted = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** What the route reads: the media types its schema lists in `consumes` (OpenAPI documents the same), else JSON. */
function accepted(request: FastifyRequest): string {
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
  return (consumes?.length ? consumes : ['application/json']).join(' or ');
}

/** The detail of a 415: what the request sent, and what this route reads instead. */
export function unsupportedMediaTypeDetail(request: FastifyRequest): string {
  const given = request.headers['content-type']?.trim();
  const wanted = accepted(request);
  if (!given) return `The request has a body but no Content-Type; send it as ${wanted}`;
  const charset = charsetOf(given);
  if (charset !== undefined && !UTF8.has(charset.toLowerCase()))
    return `The body is declared as charset ${quoted(charset)}, but only UTF-8 is read; send it as ${wanted} in UTF-8 (charset=utf-8, or no charset)`;
  return `The body is ${quoted(given.split(';')[0]!.trim())}; send it as ${wanted}`;
}

/**
 * A body in another charset would be decoded as UTF-8 all the same, and stored as mojibake or refused as malformed
 * JSON (400) for a mistake of media type. Runs before the body is read, on routes that take one.
 */
const refuseOtherCharsets: preParsingHookHandler = (request, _reply, payload, done) => {
  const charset = charsetOf(request.headers['content-type']);
  if (charset === undefined || UTF8.has(charset.toLowerCase())) return done(null, payload);
  done(new AppError('unsupported-media-type', unsupportedMediaTypeDetail(request)));
};

/**
 * The body as text, or a 415 when its bytes are not UTF-8. Node decodes such bytes to U+FFFD without a word, so a
 * Latin-1 "café" was stored as "caf\uFFFD" and acknowledged with 201: the record kept was not the one sent.
 */
export function utf8Text(request: FastifyRequest, body: Buffer): string | AppError {
  if (isUtf8(body)) return body.toString('utf8');
  return new AppError('unsupported-media-type', `The body is not valid UTF-8; send it as ${accepted(request)} in UTF-8`);
}

/** Must run before any route is registered: it rewrites the options of routes that take a body. */
export function registerRequestBodies(app: FastifyInstance): void {
  // Fastify parses text/plain into a string by default, so a JSON body sent as text/plain failed validation as
  // "expected object, received string" (400) instead of naming the mistake. It is also the one body type a browser
  // may send cross-origin without a CORS preflight. No route reads text.
  app.removeContentTypeParser('text/plain');
  // Fastify's own JSON parser (prototype poisoning refused), given the body only once it is known to be UTF-8.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const text = utf8Text(request, body as Buffer);
    if (text instanceof AppError) return done(text, undefined);
    json(request, text, (error, parsed) => {
      // Its one message for all refusals said "not valid JSON" of valid JSON that holds a __proto__ key.
      if (error !== null && isJson(text))
        return done(new AppError('invalid-request', 'The body holds a "__proto__" or "constructor.prototype" key, which is refused'), undefined);
      done(error, parsed);
    });
  });
  app.addHook('onRoute', (route) => {
    if ((route.schema as { body?: unknown } | undefined)?.body === undefined) return;
    const existing = route.preParsing === undefined ? [] : Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing];
    route.preParsing = [refuseOtherCharsets, ...existing];
  });
}

function isJson(text: string): boolean {
  try {
    // Fastify's parser strips a byte order mark; JSON.parse does not.
    JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
    return true;
  } catch {
    return false;
  }
}
