// The service's configuration: parsed from the environment once, by server.ts, and passed in from there.
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, DEFAULT_SHEDDING, type Limits } from './http/limits.js';

/**
 * A whole number written in digits. Number() read "" as 0, which turned SLOW_REQUEST_MS or a load-shedding limit off
 * and made PORT random, and read "1e3" and "0x10" as numbers.
 */
const digits = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'Expected a whole number written in digits')
    .transform(Number)
    .pipe(z.int().min(min).max(max));
const count = (fallback: number, min = 0) => digits(min).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
/**
 * An origin as a browser sends it (scheme, lower-case host, port unless the default), or null. A wildcard host
 * (https://*.example.org) or a bad port passed the old pattern and then matched no request ever.
 */
function browserOrigin(o: string): string | null {
  if (!URL.canParse(o)) return null;
  const u = new URL(o);
  const host = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)$/.test(u.hostname);
  return /^https?:$/.test(u.protocol) && host && u.username === '' && u.password === '' && u.search === '' && u.hash === '' && u.pathname === '/'
    ? u.origin
    : null;
}

/** '' (off), '*' (any origin) or a comma-separated list of origins such as https://example.org. */
const origins = (allowAny: boolean) =>
  z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every((o) => (allowAny && o === '*') || browserOrigin(o) !== null), {
      message: allowAny ? "Expected '*' or origins like https://example.org, comma-separated" : 'Expected origins like https://example.org, comma-separated (no *)',
    })
    .transform((list) => list.map((o) => (o === '*' ? o : browserOrigin(o)!)));

/** An address or CIDR proxy-addr takes, or one of its names. */
function trustedAddress(a: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(a)) return true;
  const [ip, bits, ...rest] = a.split('/');
  const version = isIP(ip ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/** An http(s) origin: what page links, citations and JSON-LD put before every path. */
function isOrigin(v: string): boolean {
  if (!URL.canParse(v)) return false;
  const u = new URL(v);
  return /^https?:$/.test(u.protocol) && u.username === '' && u.password === '' && u.search === '' && u.hash === '' && u.pathname === '/' && !/[?#]/.test(v);
}

const L = DEFAULT_LIMITS;
const Config = z.object({
  PORT: digits(0, 65535).default(3000),
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
    .refine((v) => !/^\d+$/.test(v.trim()), {
      // Fastify 5 treats a hop count as "trust nothing": it cannot tell the proxy from a client that sends the header.
      message: "A hop count cannot tell the proxy from a client that sends X-Forwarded-For; give the proxy's addresses or CIDRs (e.g. 10.0.0.0/8, loopback), or true",
    })
    .refine((v) => ['true', 'false', ''].includes(v) || v.split(',').every((a) => trustedAddress(a.trim())), {
      message: "Expected true, false, or the proxy's addresses or CIDRs, comma-separated (e.g. 10.0.0.0/8, loopback)",
    })
    .transform((v): boolean | string => (v === 'true' ? true : v === 'false' || v === '' ? false : v)),
  METRICS_ENABLED: flag(false),
  SERVICE_NAME: z.string().min(1).max(100).default('claims-api'),
  PUBLIC_URL: z
    .string()
    .refine(isOrigin, 'Expected the origin the service is served at, such as https://claims.example.org: http(s), a host, maybe a port; no path, query, fragment or credentials (pages link from the root)')
    .transform((v) => new URL(v).origin)
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
  /** Trust X-Forwarded-For from a proxy: true, or its addresses/CIDRs (comma-separated). */
  trustProxy: boolean | string;
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
