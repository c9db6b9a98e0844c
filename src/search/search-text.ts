// Numbers as the claims index reads them. FTS5's unicode61 tokenizer splits a word at every character that is not a
// letter or digit, and never between a digit and a letter: "$5.576M" was the two words 5 and 576m, "$1.6B" 1 and 6b.
// So a search for 6 found "$5.6 million", 16 found "−16.86%", 576 found "$5.576M", and 1.6 did not find "$1.6B"
// (finding 6b needed the prefix 6*, shorter than the 3 characters a prefix must have to be cheap).
//
// The indexed text is marked before FTS5 reads it, and the query the same way, so a number is one word whatever
// punctuation it is written with, and a unit or suffix letters after it are words of their own:
//   - a full stop or comma between two digits becomes a private-use character (Unicode category Co, which unicode61
//     keeps inside words): 5.576 and 2,048 are single words, and 6 no longer matches inside 5.6;
//   - a zero-width space (category Cf, a separator) goes between a digit and the letter after it: $800B is the words
//     800 and b, so 800 finds $800B and $800 billion, and 8000 stays a different number.
// displayText undoes both for what readers see (snippets read the index's copy of the text).
//
// A number is matched as written, with one exception the query side makes: a whole part of 4 digits or more is
// searched both with and without thousands separators (2048 finds 2,048 and 2,048 finds 2048), since sources write
// one and readers type the other. 5.6 and 5.60 stay different words.
import type { Db } from '../db/open.js';

const DECIMAL_MARK = '\uE000';
const GROUP_MARK = '\uE001';
const UNIT_BREAK = '\u200B';

/** A digit followed by . or , and a digit (the punctuation is replaced), or by a letter (a break goes between). */
const NUMBER_JOINS = /(?<=\p{N})(?:[.,](?=\p{N})|(?=\p{L}))/gu;
const HAS_DIGIT = /\p{N}/u;
const MARKS = /[\uE000\uE001\u200B]/g;
const SHOWN: Record<string, string> = { [DECIMAL_MARK]: '.', [GROUP_MARK]: ',', [UNIT_BREAK]: '' };

/** The marks' own characters, when a text holds them as written (private use: nobody's text means them). */
const WRITTEN_MARKS = /[\uE000\uE001]/g;

/**
 * The text as the index (and a query) reads it: numbers joined across their punctuation, apart from their units.
 * Private-use characters that are the marks' own, written into a claim, become spaces first: "5\uE000576" was read
 * as the number 5.576 and shown as one in snippets, which the text never said.
 */
export function indexText(text: string): string {
  if (text.includes(DECIMAL_MARK) || text.includes(GROUP_MARK)) text = text.replace(WRITTEN_MARKS, ' ');
  if (!HAS_DIGIT.test(text)) return text;
  // Told apart by the match itself, not by whether the group took part: in Node 20's V8 a group that did not take
  // part comes as '' instead of undefined in a later match of a text with characters beyond Latin-1 ("0s − 1000s"),
  // which a property test found.
  return text.replace(NUMBER_JOINS, (match) => (match === '' ? UNIT_BREAK : match === '.' ? DECIMAL_MARK : GROUP_MARK));
}

const GROUPED = /^\d{1,3}(?:\uE001\d{3})+(?=\uE000\d+$|$)/;
const UNGROUPED = /^\d{4,}(?=\uE000\d+$|$)/;

/**
 * A marked word's other form, when it is a number whose whole part has 4 digits or more: without its thousands
 * separators if it has them (2,048 -> 2048), with them if not (294000 -> 294,000); otherwise null. Grouping other
 * than by threes (1,2,3, or 12,34,567 in Indian style) is left as written.
 */
export function otherNumberForm(word: string): string | null {
  const grouped = GROUPED.exec(word);
  if (grouped) return grouped[0].replaceAll(GROUP_MARK, '') + word.slice(grouped[0].length);
  const plain = UNGROUPED.exec(word);
  if (plain) return plain[0].replace(/\B(?=(\d{3})+$)/g, GROUP_MARK) + word.slice(plain[0].length);
  return null;
}

/** Indexed text as it was written. */
export const displayText = (text: string): string => text.replace(MARKS, (c) => SHOWN[c]!);

/** Whether displayText would change the text: most text has no number followed by punctuation or a letter. */
export const hasMarks = (text: string): boolean => text.includes(DECIMAL_MARK) || text.includes(GROUP_MARK) || text.includes(UNIT_BREAK);

/**
 * SQL's search_text(text): indexText for the SQL that writes the claims index (src/search/search-index.ts, migration
 * 0011). Registered by whatever writes it, on its own connection: the migrations and the search index.
 */
export function registerSearchText(db: Db): void {
  db.function('search_text', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? indexText(text) : text));
}
