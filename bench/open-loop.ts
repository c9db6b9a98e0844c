// Latency below saturation. The closed loop in load.ts keeps 10 requests in flight whatever the service's speed, so
// its p99 is mostly queueing: about ten times one request's cost, whatever that cost is. Here requests are sent on a
// fixed schedule instead (an open loop), at a rate the service can keep up with, over at most `connections`
// keep-alive connections; each latency is counted from the moment its request was due, so a request that waited for
// a free connection, or behind a slow one, is charged for the wait (no coordinated omission). autocannon's own rate
// option sends each second's quota in a burst, which queues as the closed loop does.
import { Agent, get } from 'node:http';
import type { LoadResult } from './load.js';

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function openLoad(baseUrl: string, paths: readonly string[], seconds: number, rate: number, connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let sent = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  // Every connection opened before the clock starts, so that no measured request pays for a TCP handshake.
  await Promise.all(
    Array.from({ length: connections }, (_, i) => new Promise<void>((resolve) => get(`${baseUrl}${paths[i % paths.length]!}`, { agent }, (res) => res.resume().on('end', resolve)).on('error', () => resolve()))),
  );
  const start = performance.now();
  const total = Math.floor(rate * seconds);
  let scheduling = true;

  const send = (due: number) => {
    inFlight++;
    const req = get(`${baseUrl}${paths[sent++ % paths.length]!}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - due);
        else non2xx++;
        settle();
      });
    });
    req.on('error', () => {
      errors++;
      settle();
    });
  };
  const settle = () => {
    inFlight--;
    if (!scheduling && inFlight === 0) done();
  };

  // Send whatever has come due, checking again after each turn of the event loop: a timer would wake a millisecond
  // late or more, and that lag would be charged to the service. This keeps the load generator's core busy (the bench
  // pins it to its own).
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / rate <= now) send(start + (next++ * 1000) / rate);
      if (next < total) setImmediate(tick);
      else resolve();
    };
    tick();
  });
  scheduling = false;
  if (inFlight > 0) await finished;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: latencies.length / ((performance.now() - start) / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    responses: latencies.length + non2xx,
    non2xx,
    errors,
  };
}
