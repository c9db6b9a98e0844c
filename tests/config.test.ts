import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has defaults for a fresh machine', () => {
    expect(loadConfig({})).toEqual({ port: 3000, host: '127.0.0.1', databasePath: 'data/claims.db', logLevel: 'info', logFile: undefined });
  });

  it('reads every variable', () => {
    expect(loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: '/data/x.db', LOG_LEVEL: 'warn', LOG_FILE: '/tmp/x.log' })).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databasePath: '/data/x.db',
      logLevel: 'warn',
      logFile: '/tmp/x.log',
    });
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
