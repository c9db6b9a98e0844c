// A deterministic synthetic dataset in the shape of real claims, written through the real migrations and the
// repositories' own INSERTs (not the validating write service: a million validations would measure zod, not
// loading). Same seed, same database, byte for byte in content.
import type { Db } from '../src/db/open.js';
import { migrate } from '../src/db/migrate.js';
import { createStore } from '../src/store.js';
import type { StoredClaim } from '../src/claims/claims.repository.js';
import type { Source } from '../src/sources/sources.schemas.js';
import type { Entity } from '../src/entities/entities.schemas.js';
import {
  CAVEAT_KINDS,
  CITATION_STANCES,
  CLAIM_KINDS,
  COMPARATORS,
  ENTITY_TYPES,
  QUALIFIER_KEYS,
  RELATION_TYPES,
  SOURCE_EVIDENCE,
  SOURCE_TYPES,
  VERDICTS,
} from '../src/domain/vocabulary.js';
import type { PartialDate } from '../src/domain/partial-date.js';

/** mulberry32: small, fast and good enough for shaping test data; the same seed gives the same stream. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

export const claimId = (n: number) => `claim-${String(n).padStart(7, '0')}`;
export const sourceId = (n: number) => `source-${String(n).padStart(6, '0')}`;
export const entityId = (n: number) => `entity-${String(n).padStart(5, '0')}`;

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zen', 'qua', 'dri', 'pol', 'sek', 'mar', 'tin', 'bex', 'gor'];

/**
 * A vocabulary drawn with a Zipf distribution, so the text has what search needs to be measured on: a few words
 * in a few percent of claims, and a long tail of words in well under 0.1%.
 */
function vocabulary(size: number) {
  const words: string[] = [];
  for (let i = 0; words.length < size; i++) {
    let w = '';
    let x = i;
    do {
      w += SYLLABLES[x % SYLLABLES.length];
      x = Math.floor(x / SYLLABLES.length);
    } while (x > 0);
    words.push(w);
  }
  // Cumulative weights 1/rank for inverse-CDF sampling.
  const cdf = new Float64Array(size);
  let total = 0;
  for (let r = 0; r < size; r++) cdf[r] = total += 1 / (r + 1);
  return (rng: Rng) => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

function sentence(rng: Rng, word: (r: Rng) => string, min: number, max: number): string {
  const n = rng.int(min, max);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(word(rng));
  const s = ws.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date in 2020–2026 at mixed precision: mostly days, some months, a few years. */
function partialDate(rng: Rng): PartialDate {
  const y = rng.int(2020, 2026);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const p = rng.next();
  if (p < 0.7) return { date: `${y}-${pad(m)}-${pad(d)}`, precision: 'day' };
  if (p < 0.9) return { date: `${y}-${pad(m)}`, precision: 'month' };
  return { date: String(y), precision: 'year' };
}

const sortKey = (d: PartialDate) => d.date.padEnd(10, d.precision === 'year' ? '-01-01' : '-01');

function decimal(rng: Rng): string {
  const magnitude = rng.int(0, 12);
  const whole = Math.floor(rng.next() * 10 ** magnitude);
  return rng.chance(0.3) ? `${whole}.${rng.int(1, 999)}` : String(whole);
}

const UNITS = ['USD', 'USD', 'USD', 'EUR', 'CNY', 'GPU-hours', 'GPUs', 'rank', 'percent', 'count', 'tokens', 'parameters'];

export interface GenerateOptions {
  claims: number;
  seed?: number;
  /** Claims per transaction. */
  batch?: number;
  onProgress?: (done: number) => void;
}

export interface GenerateStats {
  claims: number;
  sources: number;
  entities: number;
  citations: number;
  caveats: number;
  relations: number;
  seconds: number;
  claimsPerSecond: number;
}

export function generate(db: Db, options: GenerateOptions): GenerateStats {
  const { claims: n, seed = 20250127, batch = 20_000 } = options;
  const rng = prng(seed);
  const word = vocabulary(20_000);
  const started = performance.now();
  migrate(db);
  const store = createStore(db);

  const now = '2026-01-01T00:00:00.000Z';
  const entityCount = Math.max(200, Math.round(n / 200));
  const sourceCount = Math.max(10, Math.round(n / 10));
  const counts = { citations: 0, caveats: 0, relations: 0 };

  // Secondary indexes are dropped for the bulk load and built again afterwards from their own SQL: one sort per
  // index is far cheaper than millions of random B-tree inserts, and the schema ends up exactly as migrated.
  const indexes = db
    .prepare<[], { sql: string; name: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .all()
    // Inserts number each claim from max(doc_id), and a trigger from max(change_seq): those look-ups need their
    // indexes during the load (without them, every insert scans the table).
    .filter((i) => i.name !== 'claims_doc_id' && i.name !== 'claims_change_seq');
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);

  db.transaction(() => {
    for (let i = 0; i < entityCount; i++) {
      const name = sentence(rng, word, 1, 3).slice(0, -1);
      const entity: Entity = {
        id: entityId(i),
        name,
        type: rng.pick(ENTITY_TYPES),
        aliases: rng.chance(0.4) ? [name.split(' ')[0]!, `${name} Inc`].slice(0, rng.int(1, 2)) : [],
        description: rng.chance(0.7) ? sentence(rng, word, 6, 16) : null,
        wikidataId: rng.chance(0.3) ? `Q${rng.int(1, 99_999_999)}` : null,
        homepage: rng.chance(0.4) ? `https://example.org/${entityId(i)}` : null,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      store.entities.insert(entity);
    }
    for (let i = 0; i < sourceCount; i++) {
      const source: Source = {
        id: sourceId(i),
        type: rng.pick(SOURCE_TYPES),
        title: sentence(rng, word, 4, 12).slice(0, -1),
        publisher: rng.chance(0.9) ? sentence(rng, word, 1, 2).slice(0, -1) : null,
        authors: Array.from({ length: rng.int(0, 3) }, () => sentence(rng, word, 2, 2).slice(0, -1)),
        publishedOn: rng.chance(0.9) ? partialDate(rng) : null,
        url: rng.chance(0.85) ? `https://example.com/articles/${sourceId(i)}` : null,
        archiveUrl: rng.chance(0.2) ? `https://web.archive.org/web/2025/https://example.com/articles/${sourceId(i)}` : null,
        identifiers: {
          doi: rng.chance(0.1) ? `10.${rng.int(1000, 9999)}/${sourceId(i)}` : null,
          arxivId: rng.chance(0.05) ? `${rng.int(2001, 2612)}.${rng.int(10000, 99999)}` : null,
          gitCommit: null,
          federalRegister: null,
        },
        evidence: rng.pick(SOURCE_EVIDENCE),
        note: rng.chance(0.3) ? sentence(rng, word, 8, 20) : null,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      store.sources.insert(source);
    }
  })();

  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = claimId(i);
      const kind = CLAIM_KINDS[i % CLAIM_KINDS.length]!;
      const comparator = rng.pick(COMPARATORS);
      const hasValue = rng.chance(0.75);
      let value: StoredClaim['value'] = null;
      if (hasValue) {
        const unit = rng.pick(UNITS);
        const basis = rng.chance(0.5) ? sentence(rng, word, 5, 14) : null;
        if (comparator === 'between') {
          const lower = rng.int(1, 1_000_000);
          value = { comparator, amount: null, lower: String(lower), upper: String(lower + rng.int(1, 1_000_000)), unit, basis };
        } else {
          value = { comparator, amount: decimal(rng), lower: null, upper: null, unit, basis };
        }
      }
      let factPeriod: StoredClaim['factPeriod'] = null;
      if (rng.chance(0.6)) {
        const a = partialDate(rng);
        const b = rng.chance(0.5) ? a : partialDate(rng);
        factPeriod = sortKey(a) <= sortKey(b) ? { start: a, end: b } : { start: b, end: a };
      }
      const subjects = new Set<string>();
      for (let k = rng.int(1, 3); subjects.size < k; ) subjects.add(entityId(rng.int(0, entityCount - 1)));
      const citations: StoredClaim['citations'] = [];
      for (let k = rng.int(2, 4), c = 0; c < k; c++) {
        citations.push({
          source: { id: sourceId(rng.int(0, sourceCount - 1)) },
          role: c === 0 ? 'primary' : 'secondary',
          stance: rng.pick(CITATION_STANCES),
          quote: rng.chance(0.7) ? sentence(rng, word, 8, 30) : null,
          locator: rng.chance(0.4)
            ? { section: rng.chance(0.5) ? sentence(rng, word, 2, 5) : null, page: String(rng.int(1, 300)), table: null, note: null }
            : null,
        });
      }
      counts.citations += citations.length;
      const caveats = Array.from({ length: rng.int(1, 2) }, () => ({ kind: rng.pick(CAVEAT_KINDS), text: sentence(rng, word, 8, 24) }));
      counts.caveats += caveats.length;
      const relations: StoredClaim['relations'] = [];
      if (i > 0 && rng.chance(0.2)) {
        relations.push({ type: rng.pick(RELATION_TYPES), claim: { id: claimId(rng.int(0, i - 1)) }, note: rng.chance(0.5) ? sentence(rng, word, 5, 12) : null });
        counts.relations++;
      }
      const claim: StoredClaim = {
        id,
        statement: sentence(rng, word, 10, 22),
        articleWording: rng.chance(0.3) ? sentence(rng, word, 12, 30) : null,
        kind,
        claimedOn: rng.chance(0.9) ? partialDate(rng) : null,
        factPeriod,
        value,
        qualifiers: Array.from({ length: rng.int(0, 2) }, () => ({ key: rng.pick(QUALIFIER_KEYS), value: sentence(rng, word, 1, 3).slice(0, -1) })),
        caveats,
        assessment: { verdict: rng.pick(VERDICTS), explanation: rng.chance(0.8) ? sentence(rng, word, 8, 24) : null },
        subjects: [...subjects].map((s) => ({ id: s })),
        claimant: rng.chance(0.8) ? { id: entityId(rng.int(0, entityCount - 1)) } : null,
        citations,
        relations,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      store.claims.insert(claim);
    }
  });
  for (let from = 0; from < n; from += batch) {
    insertBatch(from, Math.min(n, from + batch));
    options.onProgress?.(Math.min(n, from + batch));
  }
  for (const { sql } of indexes) db.exec(sql);
  // The full-text index in one segment, as the service keeps it (src/search/index-merge.ts): loaded in batches it is
  // several, and every search would look each word up in all of them.
  db.exec("INSERT INTO claims_fts (claims_fts) VALUES ('optimize')");
  // Planner statistics, as the service keeps them on its own database (src/db/statistics.ts), here in full.
  db.exec('ANALYZE');
  const seconds = (performance.now() - started) / 1000;
  return { claims: n, sources: sourceCount, entities: entityCount, ...counts, seconds, claimsPerSecond: n / seconds };
}
