// Where the search columns are first read. At a million claims that read takes 10 s of the event loop, in slices
// of one batch (17 ms each here): every request in those seconds waited for a slice or two, and the first answer
// after a start waited 110-150 ms for them. The production server reads them on a worker thread instead
// (doc-columns.worker.ts), over its own connection, and takes the arrays it sends as they are. The tests and the
// source server under tsx read them in process (doc-columns.ts), as does the server when the worker fails.
import { Worker } from 'node:worker_threads';
import type { DocColumnsImage } from './doc-columns.js';

export interface ColumnsJob {
  databasePath: string;
}
export type ColumnsOutcome = { image: DocColumnsImage } | { failure: string };

/** Reads the columns of the database at `databasePath` on a new worker thread (the bundle's columns-worker.mjs). */
export const readColumnsOn =
  (workerUrl: URL, databasePath: string) =>
  (): Promise<DocColumnsImage> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { databasePath } satisfies ColumnsJob });
      worker.unref(); // a process stopping does not wait for it
      let settled = false;
      worker.once('message', (outcome: ColumnsOutcome) => {
        settled = true;
        if ('image' in outcome) resolve(outcome.image);
        else reject(new Error(`the search columns could not be read on a worker thread: ${outcome.failure}`));
      });
      worker.once('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`the search columns' worker exited with code ${code} before it answered`));
      });
    });
