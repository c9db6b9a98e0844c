// The search terms the bench's endpoints draw from a dataset (bench/endpoints.ts), read from its own index.
import Database from 'better-sqlite3';
import type { Dataset } from './endpoints.js';
import { claimId } from './generate.js';

/**
 * Words from the data's own vocabulary: rare ones in under 0.1% of claims, common ones in about 2%, and phrases of
 * three consecutive words from random statements (which match a handful of claims).
 */
export function searchTerms(path: string, claims: number): Dataset['terms'] {
  const db = new Database(path, { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'claims_fts', 'row')");
    const terms = (lo: number, hi: number) =>
      db.prepare('SELECT term FROM temp.vocab WHERE doc BETWEEN ? AND ? ORDER BY doc DESC LIMIT 50').pluck().all(lo, hi) as string[];
    const rareMax = Math.max(2, Math.floor(claims * 0.001));
    const rare = terms(2, rareMax);
    // Rare words across the whole range, evenly on a log scale from 2 matches to the top: the first word at or
    // above each of 50 steps.
    const atLeast = db.prepare('SELECT term FROM temp.vocab WHERE doc >= ? AND doc <= ? ORDER BY doc, term LIMIT 1').pluck();
    const rareSpread = Array.from({ length: 50 }, (_, i) => atLeast.get(Math.round(2 * (rareMax / 2) ** (i / 49)), rareMax) as string | undefined)
      .filter((t) => t !== undefined);
    const common = terms(Math.floor(claims * 0.015), Math.ceil(claims * 0.025));
    // Two consecutive words of a statement, one of them rare: a phrase that matches a handful of claims.
    const statement = db.prepare('SELECT statement FROM claims WHERE id = ?').pluck();
    const docs = db.prepare('SELECT doc FROM temp.vocab WHERE term = ?').pluck();
    const phrases: string[] = [];
    for (let i = 0; phrases.length < 50 && i < 5000; i++) {
      const words = (statement.get(claimId((i * 7919) % claims)) as string).replace(/[.]/g, '').toLowerCase().split(' ');
      const at = words.findIndex((w, k) => k > 0 && ((docs.get(w) as number | undefined) ?? Infinity) <= Math.max(2, claims * 0.001));
      if (at > 0) phrases.push(`${words[at - 1]} ${words[at]}`);
    }
    if (rare.length === 0 || rareSpread.length === 0 || common.length === 0 || phrases.length === 0)
      throw new Error('bench: the dataset has no rare or no common words');
    return { rare, rareSpread, phrases, common };
  } finally {
    db.close();
  }
}
