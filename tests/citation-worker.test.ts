// The built server formats citations on a worker thread (src/citation/citation.ts). citation-js builds a style's
// engine on first use, APA's in about a second of synchronous work: in process, the first claim page after a start
// held every other request for that long (a health check waited 988 ms), and the service shed load with 503s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Running, startServer } from '../scripts/server-process.js';
import { citeClaim, formatCitationsOn } from '../src/citation/citation.js';
import type { ClaimView } from '../src/domain/claim-view.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-citations-'));
// Our own bundle: other test files rebuild dist/server.mjs while this runs.
const ENTRY = 'dist/test-citation/server.mjs';
let server: Running | undefined;
beforeAll(() => {
  buildServer(ENTRY);
}, 60_000);
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('citations on a worker thread', () => {
  it('the first claim page, which formats every style, holds no other request while it does', async () => {
    server = await startServer(ENTRY, { DATABASE_PATH: join(dir, 'claims.db'), LOG_LEVEL: 'info' }, { keepLines: false });
    let done = false;
    const page = fetch(`${server.origin}/c/deepseek-v3-training-cost`).then(async (res) => {
      done = true;
      return { status: res.status, body: await res.text() };
    });
    // Health checks every 25 ms while the page is made: with the event loop free, each is answered at once; held
    // behind citation-js, they are answered only after the page. Counted, not timed, so a slow machine passes too.
    let sent = 0;
    let answeredFirst = 0;
    const probes: Promise<void>[] = [];
    while (!done) {
      sent++;
      probes.push(fetch(`${server.origin}/healthz`).then(async (res) => {
        await res.text();
        if (!done) answeredFirst++;
      }));
      await new Promise((r) => setTimeout(r, 25));
    }
    const { status, body } = await page;
    await Promise.all(probes);
    expect(status).toBe(200);
    // Every style made it onto the page: APA's text names the statement, BibTeX its entry.
    expect(body).toContain('Cite this claim');
    expect(body).toMatch(/claims-api\. \(\d{4}, [A-Z][a-z]+ \d+\)\. DeepSeek/);
    expect(body).toContain('@misc{');
    expect(sent, 'the page took long enough to probe').toBeGreaterThan(4);
    expect(answeredFirst / sent).toBeGreaterThan(0.6);
    // Later citations are quick, and the same as the page's.
    const apa = await fetch(`${server.origin}/v1/claims/deepseek-v3-training-cost/citation?style=apa`);
    expect(apa.status).toBe(200);
    expect(body).toContain((await apa.text()).slice(0, 20));
  }, 60_000);
});

describe('the citation worker thread', () => {
  it('replaces a thread that died, fails only the jobs it held, and starts no second thread meanwhile', async () => {
    // A stand-in worker: answers with its thread id, and dies (an uncaught error) when asked for MLA.
    const file = join(dir, 'fake-citation-worker.mjs');
    writeFileSync(
      file,
      `import { parentPort, threadId } from 'node:worker_threads';
parentPort.on('message', ({ id, style }) => {
  if (style === 'mla') throw new Error('boom');
  parentPort.postMessage({ id, text: String(threadId) });
});`,
    );
    formatCitationsOn(pathToFileURL(file));
    const claim = { id: 'c', statement: 'S.', revision: 1, updatedAt: '2025-01-01T00:00:00.000Z' } as ClaimView;
    const ctx = { baseUrl: 'https://x.example', serviceName: 'x', accessed: new Date() };
    const first = await citeClaim(claim, 'apa', ctx);
    await expect(citeClaim(claim, 'mla', ctx)).rejects.toThrow(/boom|exited/);
    // Asked for at once, before the dead thread's exit is reported: a new thread answers, and later jobs stay on it.
    const second = await citeClaim(claim, 'apa', ctx);
    await new Promise((r) => setTimeout(r, 50));
    const third = await citeClaim(claim, 'apa', ctx);
    expect(second).not.toBe(first);
    expect(third).toBe(second);
  });
});
