// What the service accepts and how much of it: request sizes, rate budgets, load-shedding thresholds and CORS.
// The defaults are the production values (ADR 0004); config.ts lets the environment override each one, and
// tests pass their own through buildApp.
import { getHeapStatistics } from 'node:v8';

export interface Limits {
  /** Largest request body; larger is 413. Writes are authenticated before a body is read. */
  bodyLimitBytes: number;
  /** Time to receive a whole request; then 408 (problem+json) and the connection is closed. */
  requestTimeoutMs: number;
  /** Request line plus headers; 431 (problem+json) beyond it. */
  maxHeaderBytes: number;
  /** Query string length (414 beyond it) and number of parameters (400 beyond it). */
  query: { maxLength: number; maxParameters: number };
  /** Requests per window, per API key when one is presented and valid, else per client address. */
  rateLimit: { reads: number; writes: number; windowMs: number } | false;
  /** Load shedding: 503 while a threshold is exceeded; 0 turns a threshold off. */
  shedding:
    | { maxEventLoopDelayMs: number; maxHeapUsedBytes: number; maxRssBytes: number; retryAfterSeconds: number; sampleIntervalMs?: number }
    | false;
  /** Origins whose browsers may read (GET, HEAD) and write; empty means no CORS headers at all. */
  cors: { readOrigins: string[]; writeOrigins: string[] };
  /** Requests slower than this are logged at warn; 0 turns the log off. */
  slowRequestMs: number;
}

type RateLimits = Exclude<Limits['rateLimit'], false>;
type Shedding = Exclude<Limits['shedding'], false>;

export const DEFAULT_RATE_LIMIT: RateLimits = { reads: 1200, writes: 300, windowMs: 60_000 };
export const DEFAULT_SHEDDING: Shedding = {
  maxEventLoopDelayMs: 1000,
  // 90% of V8's heap limit: past it the collector runs almost continuously and every request slows down.
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
  // Off by default: reads map the database file (mmap), so RSS grows with the data, not with trouble.
  maxRssBytes: 0,
  retryAfterSeconds: 10,
};

export const DEFAULT_LIMITS: Limits = {
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  maxHeaderBytes: 16 * 1024,
  query: { maxLength: 2048, maxParameters: 20 },
  rateLimit: DEFAULT_RATE_LIMIT,
  shedding: DEFAULT_SHEDDING,
  cors: { readOrigins: [], writeOrigins: [] },
  slowRequestMs: 1000,
};

/** Limits merged over the defaults, one level deep. */
export function withLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
