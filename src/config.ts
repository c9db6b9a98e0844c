// The service's configuration: parsed from the environment once, by server.ts, and passed in from there.
import { z } from 'zod';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, DEFAULT_SHEDDING, type Limits } from './http/limits.js';

const count = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
/** '' (off), '*' (any origin) or a comma-separated list of origins such as https://example.org. */
const origins = (allowAny: boolean) =>
  z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every((o) => (allowAny && o === '*') || /^https?:\/\/[^/\s]+$/.test(o)), {
      message: allowAny ? "Expected '*' or origins like https://example.org, comma-separated" : 'Expected origins like https://example.org, comma-separated (no *)',
    });

const L = DEFAULT_LIMITS;
const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/claims.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().min(1).optional().describe('Write logs to this file instead of standard output.'),
  // Hardening (ADR 0004): every default below is the production value.
  BODY_LIMIT_BYTES: count(L.bodyLimitBytes, 1024),
  REQUEST_TIMEOUT_MS: count(L.requestTimeoutMs, 1000),
  MAX_HEADER_BYTES: count(L.maxHeaderBytes, 1024),
  QUERY_MAX_LENGTH: count(L.query.maxLength, 16),
  QUERY_MAX_PARAMS: count(L.query.maxParameters, 1),
  RATE_LIMIT_READS: count(DEFAULT_RATE_LIMIT.reads, 1),
  RATE_LIMIT_WRITES: count(DEFAULT_RATE_LIMIT.writes, 1),
  RATE_LIMIT_WINDOW_MS: count(DEFAULT_RATE_LIMIT.windowMs, 1000),
  SHED_MAX_EVENT_LOOP_DELAY_MS: count(DEFAULT_SHEDDING.maxEventLoopDelayMs),
  SHED_MAX_HEAP_BYTES: count(DEFAULT_SHEDDING.maxHeapUsedBytes),
  SHED_MAX_RSS_BYTES: count(DEFAULT_SHEDDING.maxRssBytes),
  SHED_RETRY_AFTER_S: count(DEFAULT_SHEDDING.retryAfterSeconds, 1),
  CORS_READ_ORIGINS: origins(true),
  CORS_WRITE_ORIGINS: origins(false),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' || v === '' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  METRICS_ENABLED: flag(false),
  SERVICE_NAME: z.string().min(1).max(100).default('claims-api'),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, 'Expected an absolute http(s) URL such as https://claims.example.org')
    .optional(),
  SLOW_REQUEST_MS: count(L.slowRequestMs),
});

export interface AppConfig {
  port: number;
  host: string;
  databasePath: string;
  logLevel: z.output<typeof Config>['LOG_LEVEL'];
  logFile: string | undefined;
  /** Request limits, rate limits, load shedding, CORS: see src/http/limits.ts. */
  limits: Limits;
  /** Trust X-Forwarded-For from a proxy: true, a hop count, or addresses/CIDRs (comma-separated). */
  trustProxy: boolean | number | string;
  metricsEnabled: boolean;
  /**
   * The name this service publishes under (pages, citations, ClaimReview) and its public base URL. Without
   * PUBLIC_URL, links are built from the request's Host, which is only trustworthy behind a proxy that sets it.
   */
  publishing: { serviceName: string; baseUrl: string | undefined };
}

export class ConfigError extends Error {}

/** Pure: reads only the record it is given. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databasePath: c.DATABASE_PATH,
    logLevel: c.LOG_LEVEL,
    logFile: c.LOG_FILE,
    limits: {
      bodyLimitBytes: c.BODY_LIMIT_BYTES,
      requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
      maxHeaderBytes: c.MAX_HEADER_BYTES,
      query: { maxLength: c.QUERY_MAX_LENGTH, maxParameters: c.QUERY_MAX_PARAMS },
      rateLimit: { reads: c.RATE_LIMIT_READS, writes: c.RATE_LIMIT_WRITES, windowMs: c.RATE_LIMIT_WINDOW_MS },
      shedding: {
        maxEventLoopDelayMs: c.SHED_MAX_EVENT_LOOP_DELAY_MS,
        maxHeapUsedBytes: c.SHED_MAX_HEAP_BYTES,
        maxRssBytes: c.SHED_MAX_RSS_BYTES,
        retryAfterSeconds: c.SHED_RETRY_AFTER_S,
      },
      cors: { readOrigins: c.CORS_READ_ORIGINS, writeOrigins: c.CORS_WRITE_ORIGINS },
      slowRequestMs: c.SLOW_REQUEST_MS,
    },
    trustProxy: c.TRUST_PROXY,
    metricsEnabled: c.METRICS_ENABLED,
    publishing: { serviceName: c.SERVICE_NAME, baseUrl: c.PUBLIC_URL },
  };
}
