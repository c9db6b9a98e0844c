import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_LIMITS } from '../src/http/limits.js';

describe('loadConfig', () => {
  it('has defaults for a fresh machine', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databasePath: 'data/claims.db',
      logLevel: 'info',
      logFile: undefined,
      limits: DEFAULT_LIMITS,
      trustProxy: false,
      metricsEnabled: false,
      publishing: { serviceName: 'claims-api', baseUrl: undefined },
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_PATH: '/data/x.db',
        LOG_LEVEL: 'warn',
        LOG_FILE: '/tmp/x.log',
        BODY_LIMIT_BYTES: '65536',
        REQUEST_TIMEOUT_MS: '5000',
        MAX_HEADER_BYTES: '8192',
        QUERY_MAX_LENGTH: '512',
        QUERY_MAX_PARAMS: '8',
        RATE_LIMIT_READS: '100',
        RATE_LIMIT_WRITES: '10',
        RATE_LIMIT_WINDOW_MS: '1000',
        SHED_MAX_EVENT_LOOP_DELAY_MS: '200',
        SHED_MAX_HEAP_BYTES: '1000000000',
        SHED_MAX_RSS_BYTES: '2000000000',
        SHED_RETRY_AFTER_S: '3',
        CORS_READ_ORIGINS: '*',
        CORS_WRITE_ORIGINS: 'https://desk.example.org, http://localhost:5173',
        TRUST_PROXY: '10.0.0.0/8, loopback',
        METRICS_ENABLED: 'true',
        SLOW_REQUEST_MS: '250',
        SERVICE_NAME: 'Example Claims',
        PUBLIC_URL: 'https://claims.example.org',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databasePath: '/data/x.db',
      logLevel: 'warn',
      logFile: '/tmp/x.log',
      limits: {
        bodyLimitBytes: 65536,
        requestTimeoutMs: 5000,
        maxHeaderBytes: 8192,
        query: { maxLength: 512, maxParameters: 8 },
        rateLimit: { reads: 100, writes: 10, windowMs: 1000 },
        shedding: { maxEventLoopDelayMs: 200, maxHeapUsedBytes: 1e9, maxRssBytes: 2e9, retryAfterSeconds: 3 },
        cors: { readOrigins: ['*'], writeOrigins: ['https://desk.example.org', 'http://localhost:5173'] },
        slowRequestMs: 250,
      },
      trustProxy: '10.0.0.0/8, loopback',
      metricsEnabled: true,
      publishing: { serviceName: 'Example Claims', baseUrl: 'https://claims.example.org' },
    });
  });

  it('refuses a wildcard for browser writes, and limits of zero where zero makes no sense', () => {
    expect(() => loadConfig({ CORS_WRITE_ORIGINS: '*' })).toThrow(/CORS_WRITE_ORIGINS/);
    expect(() => loadConfig({ CORS_READ_ORIGINS: 'example.org' })).toThrow(/CORS_READ_ORIGINS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ RATE_LIMIT_READS: '0' })).toThrow(/RATE_LIMIT_READS/);
    expect(() => loadConfig({ METRICS_ENABLED: 'yes' })).toThrow(/METRICS_ENABLED/);
    expect(() => loadConfig({ PUBLIC_URL: 'claims.example.org' })).toThrow(/PUBLIC_URL/);
  });

  it('takes whole numbers in digits only: an empty value is not 0, and 1e3 or 0x10 are not numbers', () => {
    for (const [name, value] of [['PORT', ''], ['PORT', '1e3'], ['PORT', '0x10'], ['PORT', ' 80'], ['SLOW_REQUEST_MS', ''], ['SHED_MAX_HEAP_BYTES', ''], ['RATE_LIMIT_READS', '1.5']])
      expect(() => loadConfig({ [name!]: value }), `${name}=${JSON.stringify(value)}`).toThrow(new RegExp(name!));
    expect(loadConfig({ PORT: '0', SLOW_REQUEST_MS: '0' })).toMatchObject({ port: 0, limits: { slowRequestMs: 0 } });
  });

  it("refuses a proxy hop count (Fastify 5 would trust nothing) and anything that is not an address or CIDR", () => {
    for (const value of ['1', '2', 'yes', 'TRUE', 'abc', '1.2.3.4/99', '-1', '10.0.0.0/8,garbage', '::1/129'])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY/);
    for (const value of ['true', 'false', '', '127.0.0.1', '10.0.0.0/8', 'loopback, uniquelocal', '::1', 'fd00::/8'])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).not.toThrow();
  });

  it('takes CORS origins as browsers send them, and refuses ones no browser could send', () => {
    for (const value of ['https://*.a.org', 'https://w.org:notaport', 'example.org', 'https://x.org/app', 'ftp://x.org'])
      expect(() => loadConfig({ CORS_READ_ORIGINS: value }), value).toThrow(/CORS_READ_ORIGINS/);
    expect(loadConfig({ CORS_WRITE_ORIGINS: 'https://Desk.Example.org/, http://localhost:5173' }).limits.cors.writeOrigins).toEqual([
      'https://desk.example.org',
      'http://localhost:5173',
    ]);
  });

  it('takes PUBLIC_URL as an origin only: permalinks are built by appending paths to it', () => {
    for (const value of ['https://x.org/base/', 'https://x.org/?q=1', 'https://x.org/#frag', 'https://user:pw@x.org', 'https://x.org:99999', 'http://[::1', 'ftp://x.org'])
      expect(() => loadConfig({ PUBLIC_URL: value }), value).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: 'https://Claims.Example.org:8443/' }).publishing.baseUrl).toBe('https://claims.example.org:8443');
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/PORT.*"eighty"/);
    expect((error as Error).message).toMatch(/LOG_LEVEL.*"loud"/);
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
  });
});
