// Where an import runs. In process, an import of 25,000 claims (the body limit) held the event loop for about 15 s:
// every other request waited, health checks included, so a liveness probe could kill the process mid-import and
// roll it back. The production server runs each import on a worker thread with its own connection instead: the
// event loop goes on serving reads from the last committed state (WAL), and the import commits or rolls back as
// one transaction, as before. Writes by the service meanwhile wait for the write lock as they do for a CLI import
// (half a second, then 503). In-memory databases (the tests) and the source server under tsx import in process.
import { Worker } from 'node:worker_threads';
import { AppError, type IssueDetail, type ProblemCode } from '../http/problems.js';
import type { Store } from '../store.js';
import type { ImportResult } from './exchange.schemas.js';
import { importNdjson, type ImportOptions } from './import.js';

export type ImportRunner = (body: string, options: ImportOptions) => Promise<ImportResult>;

/** What the worker gets, and what it sends back: a result, or the error as data (errors do not cross threads whole). */
export interface ImportJob {
  databasePath: string;
  /** How long the import waits for another process's write lock before it fails (503). */
  busyTimeoutMs: number;
  body: string;
  options: ImportOptions;
}
export type ImportOutcome =
  | { result: ImportResult }
  | { problem: { code: ProblemCode; detail: string; errors: IssueDetail[] | undefined } }
  | { failure: { message: string; code: string | undefined } };

/** The error a worker's outcome stands for, as the error handler knows it (AppError, or SQLITE_BUSY's code). */
function rethrow(outcome: Exclude<ImportOutcome, { result: ImportResult }>): never {
  if ('problem' in outcome) throw new AppError(outcome.problem.code, outcome.problem.detail, outcome.problem.errors);
  throw Object.assign(new Error(`import failed on its worker: ${outcome.failure.message}`), { code: outcome.failure.code });
}

export const inProcessImport =
  (store: Store): ImportRunner =>
  async (body, options) =>
    importNdjson(store, body, options);

/**
 * Runs each import on a new worker thread (the bundle's import-worker.mjs) over the database file at `databasePath`.
 * The worker may wait for another process's write lock longer than the service's own writes (half a second), since it
 * holds no request but its own.
 */
export const workerImport =
  (workerUrl: URL, databasePath: string, { busyTimeoutMs = 5000 } = {}): ImportRunner =>
  (body, options) =>
    new Promise((resolve, reject) => {
      const job: ImportJob = { databasePath, busyTimeoutMs, body, options };
      const worker = new Worker(workerUrl, { workerData: job });
      let settled = false;
      worker.once('message', (outcome: ImportOutcome) => {
        settled = true;
        try {
          if ('result' in outcome) resolve(outcome.result);
          else rethrow(outcome);
        } catch (err) {
          reject(err);
        }
      });
      worker.once('error', (err) => {
        settled = true;
        reject(err);
      });
      // A worker that ends without a word (out of memory, terminated) wrote nothing: its transaction never committed.
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`import worker exited with code ${code} before it answered; nothing was written`));
      });
    });
