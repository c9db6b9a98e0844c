// The claims index's tokenizer (unicode61, remove_diacritics 2) as it reads ASCII text, numbers marked
// (search-text.ts): words are runs of letters and digits and the private-use marks inside numbers, lower-cased; every
// other character, the zero-width break before a unit among them, separates. Beyond ASCII, JavaScript's folding is
// near unicode61's but not the same, so callers that must agree with the index exactly take ASCII text only.

/** Text whose words this module reads exactly as the index does. */
export const ASCII_TEXT = /^[\x00-\x7f\uE000\uE001\u200B]*$/;
/** A word of lower-cased ASCII text. */
export const ASCII_WORD = /[a-z0-9\uE000\uE001]+/g;
/** Whether a character code is one of ASCII_WORD's, for readers that go character by character. */
export const isAsciiWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 0xe000 || c === 0xe001;

/** The words of an ASCII text as the index holds them, in order; null for text with any other character. */
export function asciiWords(text: string): string[] | null {
  return ASCII_TEXT.test(text) ? (text.toLowerCase().match(ASCII_WORD) ?? []) : null;
}
