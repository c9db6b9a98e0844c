// The import's worker thread (import.runner.ts): one import over its own connection to the database file, then exit.
// Bundled as dist/import-worker.mjs beside the server.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.js';
import { AppError } from '../http/problems.js';
import { createStore } from '../store.js';
import { importNdjson } from './import.js';
import type { ImportJob, ImportOutcome } from './import.runner.js';

const job = workerData as ImportJob;

function outcomeOf(): ImportOutcome {
  // A database that cannot be opened (or is gone) is a failure like any other below; it is never created here.
  try {
    const db = openDatabase(job.databasePath, { busyTimeoutMs: job.busyTimeoutMs, mustExist: true });
    try {
      return { result: importNdjson(createStore(db), job.body, job.options) };
    } finally {
      db.close();
    }
  } catch (err) {
    if (err instanceof AppError) return { problem: { code: err.code, detail: err.message, errors: err.errors } };
    const e = err as { message?: unknown; code?: unknown };
    return { failure: { message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined } };
  }
}

parentPort!.postMessage(outcomeOf());
