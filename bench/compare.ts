// npm run bench:compare -- --a http://127.0.0.1:3400 --b http://127.0.0.1:3401 [--only "rare word"] [--rounds 6] [--scale 1000000]
//
// Two builds of the service compared request by request: each request of an endpoint's spread goes to both, in
// turn (which one first alternates), one at a time over one keep-alive connection each, so that both see the same
// machine at the same moment. On these shared machines the speed of everything drifts by up to half within minutes:
// on 2026-12-02 the same build answered 444 and then 324 spread rare words a second in two bench runs ten minutes
// apart, more than the change under test moved it. Start the two services yourself (on core 0, each on its own copy
// of the dataset, with the bench's read budget: `RATE_LIMIT_READS=1000000000 taskset -c 0 node dist/server.mjs`) and run
// this on core 1. Prints the latency of each.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { dataset } from './dataset.js';
import { ENDPOINTS, type Dataset } from './endpoints.js';
import { searchTerms } from './terms.js';

const { values: flags } = parseArgs({
  options: {
    a: { type: 'string', default: 'http://127.0.0.1:3400' },
    b: { type: 'string', default: 'http://127.0.0.1:3401' },
    only: { type: 'string', default: 'search, rare word' },
    rounds: { type: 'string', default: '6' },
    scale: { type: 'string', default: '1000000' },
    paths: { type: 'string', default: '100' },
  },
});
const { path, stats } = dataset(Number(flags.scale));
const data: Dataset = { claims: stats.claims, entities: stats.entities, sources: stats.sources, terms: searchTerms(path, stats.claims) };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request's time, start to the end of the body; a status other than 200 stops the comparison. */
function time(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(new URL(path, base), { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${base}${path}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const describe = (times: number[]) => {
  const s = [...times].sort((x, y) => x - y);
  const mean = s.reduce((x, y) => x + y, 0) / s.length;
  return `mean ${mean.toFixed(2)} p50 ${percentile(s, 0.5).toFixed(2)} p90 ${percentile(s, 0.9).toFixed(2)} p99 ${percentile(s, 0.99).toFixed(2)} ms`;
};

for (const endpoint of ENDPOINTS.filter((e) => flags.only.split(',').some((o) => e.name.includes(o)))) {
  const paths = [...new Set(endpoint.paths(data))].slice(0, Number(flags.paths));
  const servers = { a: flags.a, b: flags.b };
  const times: Record<'a' | 'b', number[]> = { a: [], b: [] };
  for (const p of paths) for (const base of Object.values(servers)) await time(base, p); // warm
  for (let round = 0; round < Number(flags.rounds); round++)
    for (const [i, p] of paths.entries()) {
      const order: ('a' | 'b')[] = (round + i) % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      for (const which of order) times[which].push(await time(servers[which], p));
    }
  console.log(`${endpoint.name} (${paths.length} paths × ${flags.rounds})`);
  console.log(`  a ${flags.a}: ${describe(times.a)}`);
  console.log(`  b ${flags.b}: ${describe(times.b)}`);
}
agent.destroy();
