// One load run with autocannon: a fixed number of connections cycling through a list of request paths, with
// latencies recorded at full (sub-millisecond) precision from autocannon's own per-response timings.
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  responses: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function load(baseUrl: string, paths: readonly string[], seconds: number, connections: number): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  // Without a callback autocannon returns its event emitter, made thenable; the typings only know the promise.
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        // Each request takes the next path, so every connection spreads over the whole list.
        setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }),
      },
    ],
  }) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else non2xx++;
  });
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: latencies.length / Math.min(elapsed, result.duration || elapsed),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    responses: latencies.length + non2xx,
    non2xx,
    errors: result.errors + result.timeouts,
  };
}
