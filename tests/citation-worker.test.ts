// The built server formats citations on a worker thread (src/citation/citation.ts). citation-js builds a style's
// engine on first use, APA's in about a second of synchronous work: in process, the first claim page after a start
// held every other request for that long (a health check waited 988 ms), and the service shed load with 503s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Running, startServer } from '../scripts/server-process.js';

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
