// What the logs must never hold. The request serializer logs no headers at all; this redaction is the second
// line of defence should anything (a route, a plugin, an error) log a request's headers. API keys travel only
// in Authorization; the logs name the key (`apiKey`, bound by the auth plugin), never the key itself.
import type { FastifyRequest } from 'fastify';

/**
 * Anything shaped like one of our API keys (api-keys.ts), wherever it appears in a text, percent-encoded or not: a URL
 * holding `cak%5F…` is the same key to whoever reads the log.
 */
const KEY_IN_TEXT = /(?:c|%63)(?:a|%61)(?:k|%6[Bb])(?:_|%5[Ff])(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}){16,}/g;

/** The text with every API key in it replaced: for URLs and request ids, which clients fill in. */
export const withoutKeys = (text: string) => text.replace(KEY_IN_TEXT, 'cak_[redacted]');

/** Whether a text holds something shaped like an API key. */
export const holdsKey = (text: string) => text.search(KEY_IN_TEXT) !== -1;

/**
 * The request as logged: Fastify's own fields, with any API key in the URL replaced. A client that puts its key in
 * the query string by mistake (`?key=cak_…`) must not have it written to every log line of its requests.
 */
export const LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({
    method: req.method,
    url: withoutKeys(req.url),
    // Host is the client's to write too.
    host: withoutKeys(req.host),
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};

export const LOG_REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'authorization'],
  censor: '[redacted]',
};
