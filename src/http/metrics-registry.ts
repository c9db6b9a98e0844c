// The Prometheus registry and its metrics, one registry per app so tests can build many apps in one process. Loaded
// only when metrics are on (app.ts imports it on demand): prom-client and its default metrics took 15-20 ms of every
// start to load, metrics or not.
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
