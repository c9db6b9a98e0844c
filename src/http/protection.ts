// What stands between the network and the routes (ADR 0004): the shutdown gate, security headers, CORS, caps on
// the query string, load shedding and rate limits, in that order, each as an app-level onRequest hook so that it
// runs before any route's own hooks (authentication included) and before a body is read. Every refusal is a
// problem+json from http/problems.ts, and every route's OpenAPI entry documents the refusals it can get.
import cors from '@fastify/cors';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashKey, KEY_FORMAT } from '../auth/api-keys.js';
import type { ApiKeysRepository } from '../auth/api-keys.repository.js';
import type { Limits } from './limits.js';
import type { Metrics } from './metrics-registry.js';
import { AppError } from './problems.js';
import { malformedQueryEncoding } from './query-encoding.js';
import { problemResponse } from './responses.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Start shutting down: answer 503 to new requests, and resolve once in-flight ones are done (server.ts). */
    drain(options?: { quietMs?: number; maxMs?: number }): Promise<void>;
  }
}

export interface ProtectionOptions {
  limits: Limits;
  keys: ApiKeysRepository;
  metrics: Metrics | null;
  now?: () => Date;
}

/** Routes that stay cheap and always answer: exempt from rate limits and load shedding. */
export const EXEMPT_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * One policy for every response. JSON needs none of it, but the HTML pages (inline <style>, a JSON-LD data block
 * that never executes, a search form) and browsers that render an API response get a CSP that allows no script at
 * all, inline styles only, forms sent only here, and no framing.
 */
const CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  baseUri: ["'none'"],
  // The search box (GET /search) submits here; nowhere else.
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
/** The headers helmet sets with this CSP, captured by running its middleware once against a stand-in response. */
function securityHeaders(directives: Record<string, string[]>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // A public data API: its records may be read from pages on other origins (CORS decides for scripts).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  })({} as never, res as never, () => {});
  return headers;
}

/** Swagger UI at /docs loads its own scripts and styles and fetches the document. */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** The rate-limit bucket of a request: its budget, and who spends it (a valid API key, else the address). */
function bucketOf(keys: ApiKeysRepository, now: () => Date, request: FastifyRequest): string {
  const budget = READ_METHODS.has(request.method) ? 'reads' : 'writes';
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (token !== undefined && KEY_FORMAT.test(token)) {
    const key = keys.findByHash(hashKey(token));
    // Only a key that would authenticate gets its own budget: random tokens must not buy fresh ones.
    if (key && key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now().toISOString())) return `${budget}|key:${key.id}`;
  }
  return `${budget}|ip:${rateLimit.normalizeIP(request.ip)}`;
}

/** Documents the refusals every operation can get, next to its own responses. */
function documentRefusals(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; response?: Record<number, unknown> } | undefined;
    if (!schema || schema.hide) return;
    const url = route.url ?? route.path;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const added: Record<number, unknown> = { 400: problemResponse(400), 414: problemResponse(414), 503: problemResponse(503) };
    if (!EXEMPT_ROUTES.has(url)) added[429] = problemResponse(429);
    if (methods.some((m) => BODY_METHODS.has(m))) Object.assign(added, { 413: problemResponse(413), 415: problemResponse(415) });
    route.schema = { ...schema, response: { ...added, ...schema.response } } as typeof route.schema;
  });
}

export async function registerProtection(app: FastifyInstance, { limits, keys, metrics, now = () => new Date() }: ProtectionOptions): Promise<void> {
  documentRefusals(app);

  // Shutdown (server.ts): drain() first, then close(). From the start of the drain, every request read gets 503
  // and `Connection: close`, so keep-alive clients learn to go elsewhere instead of having their connection cut;
  // requests already past this hook complete. Only once nothing is in flight and nothing new has arrived for a
  // moment does close() stop listening and drop the (now idle) connections.
  let closing = false;
  let inFlight = 0;
  let lastSeen = 0;
  app.decorate('drain', async ({ quietMs = 250, maxMs = 5000 }: { quietMs?: number; maxMs?: number } = {}) => {
    closing = true;
    lastSeen = Date.now();
    for (const end = Date.now() + maxMs; Date.now() < end && (inFlight > 0 || Date.now() - lastSeen < quietMs); )
      await new Promise((r) => setTimeout(r, 20));
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    lastSeen = Date.now();
    inFlight++;
    counted.add(request);
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    done(new AppError('service-unavailable', 'The service is shutting down; retry in a moment'));
  });
  const counted = new WeakSet<FastifyRequest>();
  const finished = (request: FastifyRequest) => {
    // A request that is aborted may still reach onResponse: count it out once.
    if (counted.delete(request)) inFlight--;
    lastSeen = Date.now();
  };
  app.addHook('onResponse', (request, _reply, done) => {
    finished(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    finished(request);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // helmet's headers are the same for every response of a kind, so they are worked out once, here, and set from a
  // table per request: running helmet's middleware per request cost about 24 µs, a tenth of a small GET.
  const apiHeaders = securityHeaders(CSP);
  const docsHeaders = securityHeaders(DOCS_CSP);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/docs') ? docsHeaders : apiHeaders);
    done();
  });

  const { readOrigins, writeOrigins } = limits.cors;
  if (readOrigins.length > 0 || writeOrigins.length > 0) {
    const anyReader = readOrigins.includes('*');
    await app.register(cors, {
      delegator: (request, callback) => {
        const origin = request.headers.origin;
        const preflightMethod = request.method === 'OPTIONS' ? request.headers['access-control-request-method'] : undefined;
        if (origin === undefined || (request.method === 'OPTIONS' && preflightMethod === undefined)) return callback(null, { origin: false });
        const method = (preflightMethod ?? request.method).toUpperCase();
        const write = !READ_METHODS.has(method);
        // A page that may write may read too: an edit begins with a GET for the ETag that If-Match sends back, and a
        // desk listed only in CORS_WRITE_ORIGINS could create records but not edit one. Its reads may carry its key.
        const writer = writeOrigins.includes(origin);
        const allowed = writer || (!write && (anyReader || readOrigins.includes(origin)));
        if (!allowed) return callback(null, { origin: false });
        callback(null, {
          origin: write || !anyReader ? origin : '*',
          methods: writer ? ['GET', 'HEAD', 'POST', 'PUT'] : ['GET', 'HEAD'],
          allowedHeaders: writer ? ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'] : ['If-None-Match', 'X-Request-Id'],
          exposedHeaders: ['ETag', 'Location', 'Link', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id'],
          maxAge: 600,
          strictPreflight: false,
        });
      },
    });
  }

  // Query strings: a cap on length (414) and on the number of parameters (400), and valid percent-encoding (400),
  // checked on the raw URL before anything parses it.
  const { maxLength, maxParameters } = limits.query;
  app.addHook('onRequest', (request, _reply, done) => {
    const q = request.url.indexOf('?');
    if (q < 0) return done();
    const query = request.url.slice(q + 1);
    if (query.length > maxLength) return done(new AppError('uri-too-long', `The query string is ${query.length} characters long; at most ${maxLength} are accepted`));
    let parameters = 1;
    for (let i = query.indexOf('&'); i >= 0 && parameters <= maxParameters; i = query.indexOf('&', i + 1)) parameters++;
    if (parameters > maxParameters) return done(new AppError('too-many-parameters', `At most ${maxParameters} query parameters are accepted`));
    done(malformedQueryEncoding(query));
  });

  if (limits.shedding) {
    const { maxEventLoopDelayMs, maxHeapUsedBytes, maxRssBytes, retryAfterSeconds, sampleIntervalMs } = limits.shedding;
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      maxHeapUsedBytes,
      maxRssBytes,
      retryAfter: retryAfterSeconds,
      ...(sampleIntervalMs ? { sampleInterval: sampleIntervalMs } : {}),
      pressureHandler: async (request, reply, type, value) => {
        if (EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) return;
        metrics?.shed.inc({ reason: type });
        request.log.warn({ pressure: type, value }, 'load shed');
        reply.header('retry-after', String(retryAfterSeconds));
        throw new AppError('service-unavailable', `The service is overloaded (${type}); retry in ${retryAfterSeconds} s`);
      },
    });
  }

  if (limits.rateLimit) {
    const { reads, writes, windowMs } = limits.rateLimit;
    await app.register(rateLimit, {
      // Added below as an app-level hook instead of per route, so it runs before authentication: a flood of
      // bad keys is throttled per address like any other traffic.
      global: false,
      enableDraftSpec: true,
      timeWindow: windowMs,
      keyGenerator: (request) => bucketOf(keys, now, request),
      max: (_request, bucket) => (bucket.startsWith('writes|') ? writes : reads),
      allowList: (request) => EXEMPT_ROUTES.has(request.routeOptions.url ?? ''),
      onExceeded: (request, bucket) => {
        const budget = bucket.slice(0, bucket.indexOf('|'));
        metrics?.rateLimited.inc({ budget });
        request.log.info({ budget }, 'rate limited');
      },
      errorResponseBuilder: (request, context) => {
        const budget = READ_METHODS.has(request.method) ? 'read' : 'write';
        return new AppError('too-many-requests', `The ${budget} budget of ${context.max} requests per ${windowMs / 1000} s is spent; retry in ${context.after}`);
      },
    });
    app.addHook('onRequest', app.rateLimit());
  }
}
