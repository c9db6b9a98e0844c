// The service's configuration: parsed from the environment once, by server.ts, and passed in from there.
import { z } from 'zod';

const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/claims.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().min(1).optional().describe('Write logs to this file instead of standard output.'),
});

export interface AppConfig {
  port: number;
  host: string;
  databasePath: string;
  logLevel: z.output<typeof Config>['LOG_LEVEL'];
  logFile: string | undefined;
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
  return { port: c.PORT, host: c.HOST, databasePath: c.DATABASE_PATH, logLevel: c.LOG_LEVEL, logFile: c.LOG_FILE };
}
