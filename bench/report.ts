// The Markdown summary: one table per scale, service against floor, with the targets from issue 3 beside them.
import type { GenerateStats } from './generate.js';
import type { LoadResult } from './load.js';
import type { WriteCost } from './write-cost.js';

interface Summary {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export interface EndpointResult {
  name: string;
  route: string;
  p99TargetMs: number | null;
  service: Summary;
  floor: Summary;
  raw: Record<'service' | 'floor', LoadResult[]>;
  /** The service at half the rate it sustained, requests sent on a fixed schedule (bench/open-loop.ts). */
  belowSaturation?: Summary & { rate: number };
  /** The machine probe just before this endpoint (bench/probe.ts); null in quick runs or if it could not run. */
  probeMs: number | null;
}

export interface ScaleResult {
  claims: number;
  stats: GenerateStats;
  /** The machine probe before the cold start and after the last endpoint (bench/probe.ts). */
  probe: { before: number | null; after: number | null };
  coldStartMs: number;
  identity: { checked: number; different: string[] };
  endpoints: EndpointResult[];
  memory: Record<'service' | 'floor', { anonMb: number; fileMb: number }>;
  databaseMb: number;
}

interface ReportInput {
  startedAt: Date;
  machine: { cores: number; cpu: string; node: string; host: string; pinned: boolean };
  settings: { duration: number; warmup: number; runs: number; connections: number; quick: boolean };
  results: ScaleResult[];
  writeCost: WriteCost[];
}

const n = (x: number, digits = 0) => x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Issue 3's targets: the ratio against the floor per endpoint kind; p99 targets come with each endpoint. */
const ratioTarget = (name: string) => (name.startsWith('claim by id') || name.startsWith('source by id') ? 0.85 : 0.9);
const mark = (ok: boolean) => (ok ? 'yes' : '**no**');
/** The machine probe's time on this machine when nothing else ran (2026-12-02: 48-49 ms, six runs). */
const PROBE_QUIET_MS = '48-49';

export function renderReport({ startedAt, machine, settings, results, writeCost }: ReportInput): string {
  const out: string[] = [];
  out.push(`# Bench ${startedAt.toISOString().slice(0, 10)}${settings.quick ? ' (quick: small data, short runs; not for comparison)' : ''}`);
  out.push('');
  out.push(
    `Machine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}. ` +
      (machine.pinned ? 'Server pinned to core 0, load generator to core 1 (taskset). ' : 'No CPU pinning (taskset unavailable). ') +
      `autocannon, ${settings.connections} connections, ${settings.warmup} s warm-up, then ${settings.runs} × ${settings.duration} s ` +
      'per server, alternating; figures are medians of the runs. The service runs built, logging at info to a file; both servers with MALLOC_ARENA_MAX=2, as in the container.',
  );
  for (const r of results) {
    out.push('');
    out.push(`## ${n(r.claims)} claims`);
    out.push('');
    out.push(
      `Dataset: ${n(r.stats.entities)} entities, ${n(r.stats.sources)} sources, ${n(r.stats.citations)} citations, ` +
        `${n(r.stats.caveats)} caveats, ${n(r.stats.relations)} relations; ${n(r.databaseMb)} MB on disk. ` +
        `Loaded at **${n(r.stats.claimsPerSecond)} claims/s** (${n(r.stats.seconds, 1)} s, indexes and ANALYZE included).`,
    );
    out.push('');
    out.push(`Bodies identical between service and floor: ${r.identity.checked - r.identity.different.length}/${r.identity.checked}.`);
    out.push('');
    const probes = [r.probe.before, ...r.endpoints.map((e) => e.probeMs), r.probe.after].filter((p): p is number => p !== null);
    const ms = (p: number | null) => (p === null ? '?' : `${n(p, 1)} ms`);
    out.push(
      `Machine probe (bench/probe.ts: the same fixed search work on the servers' core, timed; a higher time is a slower machine, ` +
        `${PROBE_QUIET_MS} ms on a quiet one): ${ms(r.probe.before)} before the cold start, ${ms(r.probe.after)} after the last endpoint` +
        (probes.length > 2 ? `, ${n(Math.min(...probes), 1)}-${n(Math.max(...probes), 1)} ms over the run (before each endpoint: last column).` : '.') +
        ' Compare runs, and builds, only where the probes agree.',
    );
    out.push('');
    out.push('| endpoint | service req/s | floor req/s | service / floor | target | service p50 ms | service p99 ms | floor p99 ms | p99 target ms | met | probe ms |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|');
    for (const e of r.endpoints) {
      const ratio = e.service.rps / e.floor.rps;
      const target = ratioTarget(e.name);
      out.push(
        `| ${e.name} \`${e.route}\` | ${n(e.service.rps)} | ${n(e.floor.rps)} | ${ratio.toFixed(2)} ${ratio >= target ? '' : '(below)'} | ≥ ${target} | ` +
          `${e.service.p50.toFixed(2)} | ${e.service.p99.toFixed(2)} | ${e.floor.p99.toFixed(2)} | ${e.p99TargetMs ?? 'none'} | ` +
          `${e.p99TargetMs === null ? '–' : mark(e.service.p99 <= e.p99TargetMs)} | ${e.probeMs === null ? '' : n(e.probeMs, 1)} |`,
      );
    }
    const scheduled = r.endpoints.filter((e) => e.belowSaturation !== undefined);
    if (scheduled.length > 0) {
      out.push('');
      out.push(
        `Below saturation: with ${settings.connections} connections always busy, the p99 above is mostly queueing (about ten times ` +
          'one request). Here the service gets half the rate it sustained above, requests sent on a fixed schedule over at most ' +
          `${settings.connections} connections, each latency counted from when its request was due (bench/open-loop.ts).`,
      );
      out.push('');
      out.push('| endpoint | rate req/s | p50 ms | p99 ms | p99 target ms | met |');
      out.push('|---|---:|---:|---:|---:|:---:|');
      for (const e of scheduled) {
        const b = e.belowSaturation!;
        out.push(`| ${e.name} | ${n(b.rate)} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} | ${e.p99TargetMs} | ${mark(b.p99 <= e.p99TargetMs!)} |`);
      }
    }
    const failures = r.endpoints.filter((e) => e.service.non2xx + e.floor.non2xx + (e.belowSaturation?.non2xx ?? 0) > 0);
    if (failures.length > 0) out.push('', `Non-2xx answers or errors during load: ${failures.map((e) => e.name).join(', ')}.`);
    out.push('');
    out.push('| process | cold start ms (target ≤ 500) | anonymous RSS MB after load (target ≤ 150) | file-backed RSS MB |');
    out.push('|---|---:|---:|---:|');
    out.push(
      `| service | ${n(r.coldStartMs)} ${mark(r.coldStartMs <= 500)} | ${n(r.memory.service.anonMb)} ${mark(r.memory.service.anonMb <= 150)} | ${n(r.memory.service.fileMb)} |`,
    );
    out.push(`| floor | | ${n(r.memory.floor.anonMb)} | ${n(r.memory.floor.fileMb)} |`);
  }
  out.push('');
  out.push('## Cost of durable writes');
  out.push('');
  out.push('One claim with its children per transaction, WAL mode, through the repository (no HTTP).');
  out.push('');
  out.push('| synchronous | writes | ms per write | writes/s |');
  out.push('|---|---:|---:|---:|');
  for (const w of writeCost) out.push(`| ${w.synchronous} | ${n(w.writes)} | ${w.msPerWrite.toFixed(3)} | ${n(w.writesPerSecond)} |`);
  out.push('');
  return out.join('\n');
}
