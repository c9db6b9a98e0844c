// Small field builders shared by every write shape, so that limits and null handling read the same everywhere.
import { z } from 'zod';

// Control characters other than tab and line breaks are never text someone meant to write (a NUL was stored in an
// entity's name and served back); they are refused rather than stored.
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

// The same rules as one JSON Schema pattern for the OpenAPI document, which has room for one: no control character,
// and something besides whitespace (which trimming would leave empty). Without it a generated validator passed "  ".
const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*[^\\s\\u0000-\\u001F\\u007F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

// Half of a UTF-16 surrogate pair on its own: JSON can carry one ("\ud800"), but UTF-8 cannot, so SQLite stored it as
// U+FFFD and the record served back, exported and re-imported was not the one acknowledged.
const LONE_SURROGATE = /\p{Cs}/u;

/** Trimmed, non-empty text of at most `max` characters, without control characters (tab and line breaks allowed). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(NO_CONTROL_CHARACTERS, 'Control characters are not allowed (tab and line breaks are)')
    .refine((s) => !LONE_SURROGATE.test(s), 'Text must be well-formed Unicode: half a surrogate pair (\\uD800-\\uDFFF alone) cannot be stored as sent')
    .meta({ pattern: TEXT_PATTERN });

/** Optional on write, always present (possibly null) on read. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
