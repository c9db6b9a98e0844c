// Observability: Prometheus metrics at GET /metrics (opt-in, METRICS_ENABLED) and a warning for slow requests.
// Metrics live in a registry of their own per app, so tests can build many apps in one process.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface DatabaseSizes {
  database: number;
  wal: number;
}

export function createMetrics(sizes: () => DatabaseSizes) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    requests: new Counter({ name: 'http_requests_total', help: 'Requests answered, by route and status.', labelNames, registers: [registry] }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to sending the response, by route and status.',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rateLimited: new Counter({ name: 'http_rate_limited_total', help: 'Requests refused with 429, by budget.', labelNames: ['budget'], registers: [registry] }),
    shed: new Counter({ name: 'http_load_shed_total', help: 'Requests refused with 503 under load, by pressure.', labelNames: ['reason'], registers: [registry] }),
    database: new Gauge({
      name: 'sqlite_file_bytes',
      help: 'Size of the SQLite database file and of its write-ahead log.',
      labelNames: ['file'],
      registers: [registry],
      collect() {
        const s = sizes();
        this.set({ file: 'database' }, s.database);
        this.set({ file: 'wal' }, s.wal);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

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
