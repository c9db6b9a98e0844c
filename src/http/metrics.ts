// Observability: Prometheus metrics at GET /metrics (opt-in, METRICS_ENABLED) and a warning for slow requests.
// Metrics live in a registry of their own per app, so tests can build many apps in one process.
import type { FastifyInstance } from 'fastify';
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

/** Counts and times every response; logs those slower than `slowRequestMs` (0: never). */
export function registerObservability(app: FastifyInstance, { metrics, slowRequestMs }: { metrics: Metrics | null; slowRequestMs: number }): void {
  if (metrics === null && slowRequestMs <= 0) return;
  app.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    // The route pattern, never the raw URL: unmatched paths share one label, so a scan cannot explode the series.
    const route = request.routeOptions.url ?? 'unmatched';
    if (metrics) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, ms / 1000);
    }
    if (slowRequestMs > 0 && ms > slowRequestMs) request.log.warn({ route, statusCode: reply.statusCode, responseTime: ms }, 'slow request');
    done();
  });

  if (metrics) {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }
}
