// Numbers are whole words in the claims index (src/search/search-text.ts, migration 0011): "$5.576M" is the words
// 5.576 and m, not 5 and 576m. Checked here: the marking itself, and that the migration marks what an existing
// database indexed before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { displayText, indexText, registerSearchText } from '../src/search/search-text.js';
import { databaseAsOf, migrateThrough } from './helpers.js';

describe('numbers in the search text', () => {
  it('join across . and , between digits, stand apart from the letters after them, and show as written', () => {
    const words = (text: string) => displayText(indexText(text).replaceAll('\u200B', ' ')).split(/[^\p{L}\p{N}.,]+/u).filter(Boolean);
    expect(words('$5.576M')).toEqual(['5.576', 'M']);
    expect(words('2,048 H800s, 19,341.83')).toEqual(['2,048', 'H800', 's,', '19,341.83']);
    for (const text of ['$5.576M.', 'Qwen2.5 and 1990s', 'end 1. Next, 2,', '−16.86%', 'Zürich 3D', '١٢٣abc', 'no digits'])
      expect(displayText(indexText(text))).toBe(text);
    // Letters before digits, and punctuation not between two digits, are left alone.
    expect(indexText('H800 V3 (1.), 2,x')).toBe('H800 V3 (1.), 2,x');
    // The marks' own characters written into a text are no marks: "5\uE000576" is not the number 5.576, and a
    // snippet does not show it as one.
    expect(indexText('code 5\uE000576 and 2\uE001048')).toBe(indexText('code 5 576 and 2 048'));
    expect(displayText(indexText('a\uE000b'))).toBe('a b');
  });

  it('are marked the same way in a query, so the number is one word and its unit another', () => {
    // Quoted, as unquoted the M also finds million (tests/search-word-forms.test.ts).
    expect(parseSearchQuery('"$5.576M"').match).toBe(`"${indexText('5.576')} M"`);
    expect(parseSearchQuery('6').match).toBe('"6"');
    expect(parseSearchQuery('"5.6 million"').match).toBe(`"${indexText('5.6')} million"`);
  });
});

// What "a number matches whole, as written" means, said once with a regular expression over the raw text: the
// number stands after neither a letter, a digit, nor a digit and . or , (inside H800, 5.576 or 2,048), and before
// neither a digit nor . or , and a digit. A letter may follow: its unit. A whole part of 4 digits or more is looked
// for with thousands separators and without.
const standsIn = (text: string, n: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}]|\\p{N}[.,])${n.replace(/[.$]/g, '\\$&')}(?![\\p{N}]|[.,]\\p{N})`, 'u').test(text);
/** The number with and without thousands separators, when its whole part has 4 digits or more. */
function forms(n: string): string[] {
  const [whole, fraction] = n.split('.') as [string, string | undefined];
  const plain = whole.replaceAll(',', '');
  if (plain.length < 4 || !/^(\d{1,3}(,\d{3})*|\d+)$/.test(whole)) return [n];
  const grouped = plain.replace(/\B(?=(\d{3})+$)/g, ',');
  return [plain, grouped].map((w) => (fraction === undefined ? w : `${w}.${fraction}`));
}

describe('numbers found in generated text', () => {
  it('are exactly those that stand whole in it, in either form when 4 digits or more', () => {
    const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);
    // Few enough values that texts and queries often hold the same number, in either form.
    const whole = fc.constantFrom('2048', '2,048', '10500', '10,500', '294000', '294,000', '1,000,000', '1000000', '1,2,3', '12,34,567');
    const number = fc.oneof(
      digits(0, 99),
      digits(1000, 1010),
      whole,
      fc.tuple(fc.oneof(digits(0, 99), whole), digits(0, 999)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(digits(1, 99), digits(100, 999)).map(([a, b]) => `${a},${b}`),
    );
    const piece = fc.oneof(
      fc.constantFrom('cost', 'H', 'million', 'Qwen', '(', ')', '−', '$', '%', ', ', '. ', ' ', ' ', ' '),
      fc.tuple(fc.constantFrom('', '$', 'H', '−', '~'), number, fc.constantFrom('', 'M', 'B', 's', '%', '.', ',', 'x2')).map((p) => p.join('')),
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join(' ').replace(/ {2,}/g, ' '));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), fc.array(number, { minLength: 1, maxLength: 6 }), (texts, asked) => {
        const db = openDatabase(':memory:');
        registerSearchText(db);
        db.exec("CREATE VIRTUAL TABLE t USING fts5 (statement, body, flags, tokenize = 'unicode61 remove_diacritics 2')");
        texts.forEach((t, i) => db.prepare('INSERT INTO t (rowid, statement, body, flags) VALUES (?, search_text(?), NULL, NULL)').run(i + 1, t));
        // Ask for numbers the texts hold as well as others.
        const held = texts.flatMap((t) => t.match(/\d+(?:[.,]\d+)*/g) ?? []);
        for (const n of [...asked, ...held]) {
          const found = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').pluck().all(parseSearchQuery(n).match);
          const expected = texts.flatMap((t, i) => (forms(n).some((f) => standsIn(t, f)) ? [i + 1] : []));
          expect(found, `${n} in ${JSON.stringify(texts)}`).toEqual(expected);
        }
        db.close();
      }),
      { numRuns: 200 },
    );
  });
});

describe('migration 0011', () => {
  it('indexes again what was indexed before, numbers marked, keeping every row, its rowid and flags, and the prefix index', () => {
    const db = databaseAsOf('0010_claims_superseded_by.sql');
    const row = db.prepare('INSERT INTO claims_fts (rowid, statement, body, flags) VALUES (?, ?, ?, ?)');
    row.run(3, 'DeepSeek put training at $5.576M', 'about $6 million, per SemiAnalysis $1.6B', '');
    row.run(8, 'Nvidia fell 16.86%', null, 'retracted');
    row.run(9, 'No figures here', 'none at all', '');
    const search = (q: string) => db.prepare('SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid').pluck().all(parseSearchQuery(q).match);
    // As indexed before: 1.6 and 6b, 5.576 and 576m.
    expect(search('1.6')).toEqual([]);
    expect(db.prepare('SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?').pluck().all('"576m" "6b"')).toEqual([3]);
    const untouched = db.prepare('SELECT statement, body FROM claims_fts WHERE rowid = 9').get();

    // Through 0011 only: 0013 indexes again from the claims table, which this test leaves empty.
    expect(migrateThrough(db, '0011_search_numbers.sql')).toContain('0011_search_numbers.sql');
    expect(search('1.6')).toEqual([3]);
    expect(search('$1.6B')).toEqual([3]);
    expect(search('5.576')).toEqual([3]);
    expect(search('576')).toEqual([]);
    expect(search('6')).toEqual([3]);
    expect(search('16.86')).toEqual([8]);
    expect(search('16')).toEqual([]);
    expect(search('figures')).toEqual([9]);
    expect(db.prepare('SELECT statement, body FROM claims_fts WHERE rowid = 9').get()).toEqual(untouched);
    expect(db.prepare('SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?').pluck().all('{flags} : retracted')).toEqual([8]);
    expect(search('semi*')).toEqual([3]);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'claims_fts'").pluck().get()).toMatch(/prefix = '3'/);
    expect(db.prepare('SELECT count(*) FROM temp.sqlite_schema').pluck().get()).toBe(0);
  });
});
