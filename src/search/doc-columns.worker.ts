// The search columns' first read on a worker thread (doc-columns.runner.ts): every claim over its own connection,
// then the arrays sent to the server's thread, moved, not copied. Bundled as dist/columns-worker.mjs beside the server.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type ColumnsJob, type ColumnsOutcome, transferables } from './doc-columns.runner.js';

// Only spare time: on Linux a thread's nice value is its own (setpriority on "this process" sets the calling thread's),
// so on a single core the server's thread still gets nearly all of it while both want it. Elsewhere it would lower the
// whole process, so it is left there. Set before the code below is even loaded, which is most of a thread's start-up.
if (process.platform === 'linux') {
  try {
    setPriority(19);
  } catch {
    // not allowed here: the read runs at the server's priority
  }
}
const [{ openDatabase }, { createDocColumns }] = await Promise.all([import('../db/open.js'), import('./doc-columns.js')]);

const job = workerData as ColumnsJob;
try {
  // A small page cache: the read passes over each page once, and the pages a thread's connection caches stay in the
  // process after the thread is gone (glibc keeps the thread's malloc arena for the next): with the 16 MB default, the
  // service held 20 MB more anonymous memory after the read and 600 requests at a million claims (150 against 130 MB).
  const db = openDatabase(job.databasePath, { readonly: true, mustExist: true, cacheKb: 1024 });
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
