// Autocomplete that forgives a slip. The prefix search (FTS5) finds "nvid" and "deeps", but one letter wrong and it
// finds nothing: "nvida", "deepsek", "semianalisys". When it finds nothing, the entities whose name or aliases have,
// for every typed word, a word that starts within a few edits of it are answered instead, fewest edits first, and the
// page says so (`match: near`). As Algolia's typo tolerance does for prefixes, with its thresholds: none below 4
// letters (too many names lie one edit from a short prefix), one from 4, two from 8.
import { fold } from '../search/snippet.js';

/** Edits a typed word may be from the start of a name's word. */
export const editsAllowed = (length: number): number => (length < 4 ? 0 : length < 8 ? 1 : 2);

/** An entity as near-name search reads it: its name and aliases as folded words. */
export interface NamedEntity {
  id: string;
  name: string;
  type: string;
  words: string[];
}

/** The words of a name or a query, folded as the index folds them (case and diacritics). */
export const nameWords = (text: string): string[] => text.match(/[\p{L}\p{N}]+/gu)?.map(fold) ?? [];

/**
 * The fewest edits (optimal string alignment: a letter left out, added, changed, or two swapped) that make `typed`
 * the start of `word`, or `max + 1` when more are needed. One table for every start of the word: its last row holds
 * the distance of `typed` to each of them.
 */
export function prefixDistance(typed: string, word: string, max: number): number {
  if (word.startsWith(typed)) return 0;
  if (max === 0) return 1;
  const cols = Math.min(word.length, typed.length + max);
  let before = new Int32Array(cols + 1);
  let previous = Int32Array.from({ length: cols + 1 }, (_, j) => j);
  let row = new Int32Array(cols + 1);
  for (let i = 1; i <= typed.length; i++) {
    row[0] = i;
    let least = i;
    for (let j = 1; j <= cols; j++) {
      const cost = typed[i - 1] === word[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && typed[i - 1] === word[j - 2] && typed[i - 2] === word[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
      least = Math.min(least, d);
    }
    if (least > max) return max + 1;
    [before, previous, row] = [previous, row, before];
  }
  let best = max + 1;
  for (let j = Math.max(0, typed.length - max); j <= cols; j++) best = Math.min(best, previous[j]!);
  return best;
}

/**
 * Entities (of `type` when given) with, for each typed word, a word of their names that starts within its allowed
 * edits; fewest edits in all first, then the shorter name, then by name and id. Each distinct word of the names is
 * measured once per typed word.
 */
export function nearNames(typed: string[], entities: NamedEntity[], type: string | undefined, limit: number): NamedEntity[] {
  const words = typed.slice(0, 8);
  if (words.length === 0 || words.every((w) => editsAllowed(w.length) === 0)) return [];
  const distances = words.map(() => new Map<string, number>());
  const found: { entity: NamedEntity; edits: number }[] = [];
  for (const entity of entities) {
    if (type !== undefined && entity.type !== type) continue;
    let edits = 0;
    for (let w = 0; w < words.length && edits !== Infinity; w++) {
      const max = editsAllowed(words[w]!.length);
      let best = max + 1;
      for (const word of entity.words) {
        let d = distances[w]!.get(word);
        if (d === undefined) distances[w]!.set(word, (d = prefixDistance(words[w]!, word, max)));
        if ((best = Math.min(best, d)) === 0) break;
      }
      edits = best > max ? Infinity : edits + best;
    }
    if (edits !== Infinity) found.push({ entity, edits });
  }
  found.sort((a, b) => a.edits - b.edits || a.entity.name.length - b.entity.name.length || compare(a.entity.name, b.entity.name) || compare(a.entity.id, b.entity.id));
  return found.slice(0, limit).map((f) => f.entity);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
