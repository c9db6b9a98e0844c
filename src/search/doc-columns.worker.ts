// The search columns' first read on a worker thread (doc-columns.runner.ts): every claim over its own connection,
// then the arrays sent to the server's thread, moved, not copied. Bundled as dist/columns-worker.mjs beside the server.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.js';
import { createDocColumns, transferables } from './doc-columns.js';
import type { ColumnsJob, ColumnsOutcome } from './doc-columns.runner.js';

const job = workerData as ColumnsJob;

try {
  const db = openDatabase(job.databasePath, { readonly: true, mustExist: true });
  try {
    // All at once: nothing else runs on this thread.
    const columns = createDocColumns(db, { loadAtOnce: Number.POSITIVE_INFINITY });
    columns.sync();
    const image = columns.image();
    parentPort!.postMessage({ image } satisfies ColumnsOutcome, transferables(image));
  } finally {
    db.close();
  }
} catch (err) {
  parentPort!.postMessage({ failure: String((err as Error).message ?? err) } satisfies ColumnsOutcome);
}
