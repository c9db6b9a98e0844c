// Where the search columns are first read. At a million claims that read takes 10 s of the event loop, in slices
// of one batch (17 ms each here): every request in those seconds waited for a slice or two, and the first answer
// after a start waited 110-150 ms for them. The production server reads them on a worker thread instead
// (doc-columns.worker.ts), over its own connection, and takes the arrays it sends as they are. The tests and the
// source server under tsx read them in process (doc-columns.ts), as does the server when the worker fails.
import { Worker } from 'node:worker_threads';
import type { ColumnFacet as DocColumn } from '../claims/claims.facet-sql.js';
import type { ColumnImage, MultiColumnImage } from './doc-codes.js';
import type { MultiName } from './doc-columns.sql.js';

export type LoadedWhere = 'in process' | 'on a worker thread';

export interface LoadOptions {
  /** Told how long the first read took, and where it ran. */
  onLoaded?: (ms: number, where: LoadedWhere) => void;
  /** Reads the columns elsewhere (readColumnsOn below); the load runs here when it fails. */
  readElsewhere?: () => Promise<DocColumnsImage>;
  /** Told why reading elsewhere failed. */
  onFallback?: (err: unknown) => void;
}

/** What the columns hold, as plain data and typed arrays: a worker thread reads them and sends this. */
export interface DocColumnsImage {
  /** The change number the arrays are current to. */
  seen: number;
  size: number;
  columns: Record<DocColumn, ColumnImage>;
  multi: Record<MultiName, MultiColumnImage>;
  retracted: Uint8Array;
  lengths: Uint32Array;
  ranges: Record<'factFirst' | 'factLast' | 'claimedFirst' | 'claimedLast', Int32Array> &
    Record<'valueLow' | 'valueHigh', Float64Array> & { valueOpen: Uint8Array };
}

/** The buffers of an image's arrays, to be moved to the receiving thread rather than copied. */
export function transferables(image: DocColumnsImage): ArrayBuffer[] {
  const arrays = [
    ...Object.values(image.columns).map((c) => c.codes),
    ...Object.values(image.multi).flatMap((m) => [...m.slots, m.count]),
    image.retracted,
    image.lengths,
    ...Object.values(image.ranges),
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}


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
