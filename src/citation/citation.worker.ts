// The citation formatter's worker thread (citation.ts): citation-js builds a style's CSL engine on its first use, APA's
// in about 0.8 s of synchronous work (1.3-1.6 s with loading citation-js), which on the event loop held every other
// request and made the service shed load. Here it holds nothing else. Bundled as dist/citation-worker.mjs.
import { parentPort } from 'node:worker_threads';
import type { CitationJob, CitationOutcome } from './citation.js';
import { formatCitation } from './citation-format.js';

parentPort!.on('message', ({ id, item, style }: CitationJob) => {
  let outcome: CitationOutcome;
  try {
    outcome = { id, text: formatCitation(item, style) };
  } catch (err) {
    outcome = { id, error: String((err as Error)?.message ?? err) };
  }
  parentPort!.postMessage(outcome);
});
