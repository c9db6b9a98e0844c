// Observability: Prometheus metrics at GET /metrics (opt-in, METRICS_ENABLED; the registry is metrics-registry.ts) and a
// warning for slow requests.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics-registry.js';

/** The route label of requests no route matched: one label for all, so a scan of random paths adds no series. */
const UNMATCHED = 'unmatched';

function countResponse(metrics: Metrics, method: string, route: string, status: number, ms: number): void {
  const labels = { method, route, status: String(status) };
  metrics.requests.inc(labels);
  metrics.duration.observe(labels, ms / 1000);
}

type FrameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/**
 * The router's own refusals (a malformed escape in the path: 400, a segment over its length cap: 414) are answered
 * by Fastify's `frameworkErrors` before any hook runs, so the onResponse hook below never counted them: the
 * handler given counts each as it answers.
 */
export function countingFrameworkErrors(metrics: Metrics | null, handler: FrameworkErrors): FrameworkErrors {
  if (metrics === null) return handler;
  return (error, request, reply) => {
    const started = performance.now();
    reply.raw.once('finish', () => countResponse(metrics, request.method, UNMATCHED, reply.statusCode, performance.now() - started));
    return handler(error, request, reply);
  };
}

type ClientErrors = (this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) => number | null;

/**
 * What Node's HTTP parser refuses before a request exists (bytes that are not HTTP: 400, a request too slow: 408,
 * headers too large: 431), counted like the rest under the method "UNKNOWN": none was read.
 */
export function countingClientErrors(metrics: Metrics | null, handler: ClientErrors): ClientErrors {
  if (metrics === null) return handler;
  return function (this: FastifyInstance, error, socket) {
    const status = handler.call(this, error, socket);
    if (status !== null) countResponse(metrics, 'UNKNOWN', UNMATCHED, status, 0);
    return status;
  };
}

/** Counts and times every response; logs those slower than `slowRequestMs` (0: never). */
export function registerObservability(app: FastifyInstance, { metrics, slowRequestMs }: { metrics: Metrics | null; slowRequestMs: number }): void {
  if (metrics === null && slowRequestMs <= 0) return;
  app.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    // The route pattern, never the raw URL.
    const route = request.routeOptions.url ?? UNMATCHED;
    if (metrics) countResponse(metrics, request.method, route, reply.statusCode, ms);
    if (slowRequestMs > 0 && ms > slowRequestMs) request.log.warn({ route, statusCode: reply.statusCode, responseTime: ms }, 'slow request');
    done();
  });

  if (metrics) {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }
}
