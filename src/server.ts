// The process: the only module that reads the environment, opens the database, listens and handles signals.
import { mkdirSync, createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { loadSeed } from './db/seed.js';
import { LOG_REDACT } from './http/logging.js';
import { createStore } from './store.js';

function loggerOptions(config: AppConfig) {
  const base = {
    level: config.logLevel,
    redact: LOG_REDACT,
  };
  if (!config.logFile) return base;
  mkdirSync(dirname(config.logFile), { recursive: true });
  return { ...base, stream: createWriteStream(config.logFile, { flags: 'a' }) };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }

  if (config.databasePath !== ':memory:') mkdirSync(dirname(config.databasePath), { recursive: true });
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  const store = createStore(db);
  const seeded = store.isEmpty() ? loadSeed(store) : null;

  const app = await buildApp({ store, logger: loggerOptions(config) });
  app.log.info({ databasePath: config.databasePath, migrationsApplied: applied, seeded }, 'database ready');

  // SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, then close the database, which
  // checkpoints the WAL. A second signal or 10 s without finishing forces the exit.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    db.close();
  });

  await app.listen({ port: config.port, host: config.host });
}

await main();
