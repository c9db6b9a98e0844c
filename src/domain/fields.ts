// Small field builders shared by every write shape, so that limits and null handling read the same everywhere.
import { z } from 'zod';

// Control characters other than tab and line breaks are never text someone meant to write (a NUL was stored in an
// entity's name and served back); they are refused rather than stored. That is C0 and DEL, and C1 (U+0080-U+009F)
// too: U+009B is CSI, a one-byte terminal escape, and they went unchanged into CSV exports, logs and citations.
// The line breaks allowed are LF and CR (and U+2028, U+2029, which are not controls). NEL (U+0085) is refused with
// the other C1 controls although Unicode counts it a line break: nothing that reads this service's output treats it
// as one (JavaScript's trim and \s, HTML, CSV's records), so a reader would get a control character, not a new line;
// FS, GS and RS (U+001C-U+001E), which UAX #9 also ends a paragraph at, were already refused for the same reason.
// One list, read by the check and by the pattern below.
const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const NO_CONTROL_CHARACTERS = new RegExp(`^[^${CONTROL}]*$`);

// The same rules as one JSON Schema pattern for the OpenAPI document, which has room for one: no control character,
// and something besides whitespace (which trimming would leave empty). Without it a generated validator passed "  ".
// The pattern cannot say which characters are invisible (below): a JSON Schema pattern need not support \p{...}.
const TEXT_PATTERN = `^[^${CONTROL}]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^${CONTROL}]*$`;

// Half of a UTF-16 surrogate pair on its own: JSON can carry one ("\ud800"), but UTF-8 cannot, so SQLite stored it as
// U+FFFD and the record served back, exported and re-imported was not the one acknowledged.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Something a reader can see. Not visible on their own: whitespace; format characters (category Cf, such as U+200B);
 * every Default_Ignorable_Code_Point, which fonts draw as nothing (variation selectors U+FE00-U+FE0F, the combining
 * grapheme joiner U+034F, Mongolian variation selectors, Khmer inherent vowels, and the Hangul fillers U+115F, U+1160,
 * U+3164 and U+FFA0, named here too since they are the usual way to make a "blank" name); combining marks (category
 * M), which only change the character before them; and U+2800, the blank Braille pattern. An entity named U+3164 was
 * stored and listed with no name at all. Any of them is kept inside visible text ("☎️ Hotline", "e\u0301").
 */
const VISIBLE = /[^\s\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/u;

const BIDI_OPENERS = { '\u202A': 'e', '\u202B': 'e', '\u202D': 'e', '\u202E': 'e', '\u2066': 'i', '\u2067': 'i', '\u2068': 'i' } as const;
// The paragraph ends of UAX #9 that text may hold: LF, CR and U+2029. (NEL is one too, but is refused above.)
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]|[\n\r\u2029]/g;

/**
 * Whether every bidirectional embedding, override or isolate (LRE, RLE, LRO, RLO, LRI, RLI, FSI) is closed (PDF,
 * PDI) before its line ends. One left open reorders whatever a page or an article sets after the text, within the
 * same paragraph: a claim's words could be made to read otherwise than they are stored ("Trojan Source",
 * CVE-2021-42574). Closed ones are legitimate (an English name inside an Arabic quote) and kept. A stray closer has
 * no effect (UAX #9 ignores it) and is kept too.
 */
export function bidiBalanced(s: string): boolean {
  const open: ('e' | 'i')[] = [];
  for (const [c] of s.matchAll(BIDI_CONTROL)) {
    if (c in BIDI_OPENERS) open.push(BIDI_OPENERS[c as keyof typeof BIDI_OPENERS]);
    else if (c === '\u202C') {
      // PDF closes the last embedding or override, but not across an isolate still open (UAX #9, X7).
      if (open.at(-1) === 'e') open.pop();
    } else if (c === '\u2069') {
      // PDI closes the last isolate and every embedding opened inside it (X6a).
      const at = open.lastIndexOf('i');
      if (at >= 0) open.length = at;
    } else if (open.length > 0) return false; // a paragraph ends with something still open (X8)
  }
  return open.length === 0;
}

// A field left out is reported as "Required" everywhere (bodies, queries, imported lines), not as zod 4's
// "Invalid input: expected string, received undefined", which reads as if something had been sent. Set once, here,
// because every schema that validates input is built from this module.
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined) });

/** Trimmed, non-empty text of at most `max` characters, without control characters (tab and line breaks allowed). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(NO_CONTROL_CHARACTERS, 'Control characters are not allowed (tab and line breaks are)')
    // Trimming leaves invisible characters such as U+200B (zero width space): an entity named only that showed as nothing.
    .refine(
      (s) => VISIBLE.test(s),
      'Text must have a visible character: only spaces, invisible characters (such as U+200B or U+3164) or combining marks on their own were sent',
    )
    .refine((s) => !LONE_SURROGATE.test(s), 'Text must be well-formed Unicode: half a surrogate pair (\\uD800-\\uDFFF alone) cannot be stored as sent')
    .refine(
      bidiBalanced,
      'A bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2068) is left open: close it (U+202C, U+2069) before the line ends, so it cannot reorder the text shown after it',
    )
    .meta({ pattern: TEXT_PATTERN });

/** Optional on write, always present (possibly null) on read. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
