// The process: the only module that reads the environment, opens the database, listens and handles signals.
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { openDatabase, type Db } from './db/open.js';
import { refreshStatistics, STATISTICS_EVERY_MS } from './db/statistics.js';
import { readColumnsOn } from './search/doc-columns.runner.js';
import { createIndexMerge, MERGE_CHECK_EVERY_MS, mergeInBackground } from './search/index-merge.js';
import { followSeed, type SeedStart } from './db/seed.js';
import { workerImport } from './exchange/import.runner.js';
import { formatCitationsOn } from './citation/citation.js';
import { compilePendingSerializers } from './http/serializer.js';
import { createStore, type Store } from './store.js';

/**
 * Logs go to stdout or LOG_FILE through pino's asynchronous destination: lines written while a write is in flight
 * are joined into one, instead of a write call per line (node's WriteStream spent about 15% of a busy server's
 * time in writev). Flushed synchronously on shutdown so the last lines are not lost.
 */
function logDestination(config: AppConfig) {
  if (config.logFile) {
    mkdirSync(dirname(config.logFile), { recursive: true });
    // Opened once here so that a file that cannot be written fails now, with its reason, not inside pino later.
    closeSync(openSync(config.logFile, 'a'));
  }
  // Lines are written in blocks of 8 KB (a busy server spent a quarter of its time handing single lines to the
  // file), and at least once a second, so a quiet server's last lines are never more than a second late.
  const destination = pino.destination({ dest: config.logFile ?? 1, sync: false, append: true, minLength: 8192 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // not open yet: nothing was buffered for it
    }
  }, 1000).unref();
  return destination;
}

/**
 * Writes out the buffered log lines, waiting at most `ms`. Not sonic-boom's flushSync: when the reader of a log pipe
 * has gone (a log shipper that died, `| head`), it retries the failed write every 100 ms forever, synchronously, so
 * neither the forced exit after 10 s nor a second signal could run, and SIGTERM never ended the process. A write
 * that fails here is given up: the data is safe by then, only the last lines are lost.
 */
async function flushLogs(destination: ReturnType<typeof logDestination>, ms = 1000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      destination.flush(done);
    } catch {
      // Not open yet (a signal right at start-up): nothing was buffered for it.
      done();
    }
  });
}

/** One line on stderr and exit 1: for an operator, not a stack trace. */
function fail(what: string, err: unknown): never {
  const e = err as NodeJS.ErrnoException;
  console.error(`claims-api: ${what}: ${e.message ?? String(err)}${e.code && !String(e.message).includes(e.code) ? ` (${e.code})` : ''}`);
  process.exit(1);
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

  // Failures before the service can log (a path it cannot open, a database not its own, a log file it cannot
  // write) are one line on stderr naming what and where, not a stack trace, and exit 1.
  let db: Db;
  let applied: string[];
  let store: Store;
  let seeded: SeedStart = null;
  let seedFailure: unknown = null;
  try {
    if (config.databasePath !== ':memory:') mkdirSync(dirname(config.databasePath), { recursive: true });
    // The wait for another process's write lock is synchronous, so it holds every request, reads included: the
    // service waits half a second, then answers that write 503 (error-handler.ts). A CLI import of thousands of
    // records holds the lock for seconds.
    db = openDatabase(config.databasePath, { busyTimeoutMs: 500 });
    applied = migrate(db);
    store = createStore(db);
    // An empty database is seeded; one the seed was loaded into follows its corrections; one it never was is left
    // alone (db/seed.ts). Failing to correct (one transaction, so nothing is half done), the data is served as it
    // stands and the log says so; failing to seed an empty database, the service does not start.
    const empty = store.isEmpty();
    try {
      seeded = followSeed(store);
    } catch (err) {
      if (empty) throw err;
      seedFailure = err;
    }
  } catch (err) {
    return fail(`cannot use the database at ${config.databasePath} (DATABASE_PATH)`, err);
  }

  let destination: ReturnType<typeof logDestination>;
  try {
    destination = logDestination(config);
  } catch (err) {
    return fail(`cannot write logs to ${config.logFile} (LOG_FILE)`, err);
  }
  destination.on('error', (err: Error) => fail(`cannot write logs to ${config.logFile ?? 'standard output'} (LOG_FILE)`, err));
  // Imports run on a worker thread (exchange/import.runner.ts) when there is one to run: the bundle's, beside this
  // file. From source (npm run dev) and for an in-memory database they run in process.
  const importWorker = new URL('./import-worker.mjs', import.meta.url);
  const runImport = config.databasePath !== ':memory:' && existsSync(importWorker) ? workerImport(importWorker, config.databasePath) : undefined;
  // Citations likewise, when the bundle has their worker (citation/citation.ts); from source, in process.
  const citationWorker = new URL('./citation-worker.mjs', import.meta.url);
  if (existsSync(citationWorker)) formatCitationsOn(citationWorker);
  const app = await buildApp({
    store,
    ...(runImport ? { runImport } : {}),
    logger: { level: config.logLevel, stream: destination },
    limits: config.limits,
    metrics: config.metricsEnabled,
    trustProxy: config.trustProxy,
    publishing: config.publishing,
  });
  app.log.info({ databasePath: config.databasePath, migrationsApplied: applied, seeded }, 'database ready');
  if (seedFailure !== null) app.log.error({ err: seedFailure }, 'seed corrections not applied: the database is served as it stands');

  // SIGTERM/SIGINT: answer new requests with 503 while in-flight ones finish (at most 5 s), stop listening and close
  // every connection left (app.ts, forceCloseConnections), then close the database, which checkpoints the WAL. A
  // second signal or 10 s without finishing forces the exit.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.drain();
    await app.close();
    // Every acknowledged write is already fsynced in the WAL; fold it into the database file before leaving. close()
    // does so too, but only when no other connection (a backup, the keys command) has the file open.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    await flushLogs(destination);
  });

  // Searches use SQL until the columns are read (warmUp, below). Once they are, the full-text index is merged if it
  // has grown into many segments (src/search/index-merge.ts), and looked at again every few minutes.
  // Its statements prepared at its first look, not on the way to listening.
  let indexMerge: ReturnType<typeof createIndexMerge> | undefined;
  let merging = false;
  const mergeIndex = () => {
    if (merging || !db.open) return;
    merging = true;
    try {
      mergeInBackground(db, (indexMerge ??= createIndexMerge(db)), (outcome, err) => {
        merging = false;
        const figures = outcome && { ...outcome, ms: Math.round(outcome.ms) };
        // Another process writing (the step would have waited for its lock): the next look takes the merge up again.
        if (err !== undefined) app.log.warn({ err, ...figures }, 'search index merge stopped');
        else if (figures !== null) app.log.info(figures, 'search index merged');
      });
    } catch (err) {
      merging = false;
      app.log.warn({ err }, 'search index not checked');
    }
  };
  // Work no request waits for but later ones go faster for: reading the search columns (on a worker thread when the
  // bundle has one, src/search/doc-columns.runner.ts; 10 s of a core at a million claims) and compiling the response
  // serializers not used yet (each compiles on first use otherwise). Begun once the first answer is out, or a second
  // after listening if no request came: on one core (a container given one CPU; the bench's pinned server) starting the
  // worker thread (Node's own start-up on it, before it can lower its priority) and the compiles delayed the first
  // answer: spawn to a million-claim database's first answer 629 ms before, 573 after (alternated, medians of 9).
  // Planned before listening, so that a search arriving before the warm-up begins (which then begins the read itself)
  // has it read where planned: on the worker thread, and logged.
  const columnsWorker = new URL('./columns-worker.mjs', import.meta.url);
  store.claims.planSearch({
    ...(config.databasePath !== ':memory:' && existsSync(columnsWorker) ? { readElsewhere: readColumnsOn(columnsWorker, config.databasePath) } : {}),
    onFallback: (err) => app.log.warn({ err }, 'search columns not read on a worker thread: reading them here'),
    onLoaded: (ms, where) => {
      app.log.info({ ms: Math.round(ms), where }, 'search columns loaded');
      mergeIndex();
    },
  });
  let warmedUp = false;
  const warmUp = () => {
    if (warmedUp || !db.open) return;
    warmedUp = true;
    store.claims.warmSearch();
    compilePendingSerializers().catch((err: unknown) => app.log.error({ err }, 'a response serializer failed to compile'));
  };
  // Ahead of fastify's own listener, so that the response cannot be finished before it is watched; 'close' comes when
  // it is finished or its connection is gone.
  app.server.prependOnceListener('request', (_request, response: ServerResponse) => response.once('close', () => setImmediate(warmUp)));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Also when logs go to a file: whoever started the service is told why it did not.
    app.log.fatal({ err }, 'cannot listen');
    await flushLogs(destination);
    return fail(`cannot listen on ${config.host}:${config.port} (HOST, PORT)`, err);
  }
  setTimeout(warmUp, 1000).unref();
  setInterval(mergeIndex, MERGE_CHECK_EVERY_MS).unref();
  // Planner statistics (src/db/statistics.ts): checked once the first answers are out, then every few hours.
  const statistics = (allTables: boolean) => {
    if (!db.open) return; // shutting down
    try {
      const started = performance.now();
      const analysed = refreshStatistics(db, { allTables });
      if (analysed.length > 0) app.log.info({ analysed, ms: Math.round(performance.now() - started) }, 'planner statistics refreshed');
    } catch (err) {
      // Another process holding the write lock past busy_timeout: the next run tries again.
      app.log.warn({ err }, 'planner statistics not refreshed');
    }
  };
  setTimeout(() => statistics(true), 1000).unref();
  setInterval(() => statistics(false), STATISTICS_EVERY_MS).unref();
}

await main();
