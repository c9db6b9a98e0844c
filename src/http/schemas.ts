// Shapes shared by every route: timestamps, URLs, the problem body, pages and path parameters.
import { z } from 'zod';
import { text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { RESOURCE_TYPES, type ResourceType } from '../domain/vocabulary.js';

export const Timestamp = z.string().meta({
  id: 'Timestamp',
  description: 'An instant in UTC, RFC 3339 with milliseconds.',
  examples: ['2025-01-31T12:00:00.000Z'],
  format: 'date-time',
});

/**
 * A URL's host: a domain name with a top-level domain, an IPv4 address, or a bracketed IPv6 address, as the WHATWG
 * parser leaves them. IP literals used to be refused by accident (zod's domain pattern only): nothing here fetches a
 * URL (ADR 0004), so they carry no risk, and a document served from an address is still cited at that address.
 * Single-label names such as localhost stay refused: no reader could follow them.
 */
const HOST = new RegExp(`${z.regexes.domain.source}|${z.regexes.ipv4.source}|^\\[${z.regexes.ipv6.source.slice(1, -1)}\\]$`);

/**
 * An absolute http(s) URL, kept in its normal form (the WHATWG serialisation a browser follows): scheme and host in
 * lower case, spaces and quotes percent-encoded. As written, `HTTPS://EXAMPLE.ORG` failed the database's check (a 500)
 * and `https://example.org/a b` was served back as a value that is not a URI.
 *
 * What the parser would not keep is refused instead, before it parses: it deletes tabs and line breaks anywhere
 * ("https://ex.com/a\nb" became https://ex.com/ab), strips other control characters at the ends, and reads a
 * backslash as "/" (https://ex.com/a/b). Stored, each of those is a different URL from the one sent. Spaces are not
 * refused: inside they are percent-encoded and at the ends trimmed, which leaves the same URL.
 */
export const HttpUrl = z
  .string()
  .max(2000, 'Too long: a URL has at most 2000 characters')
  .regex(
    /^[^\u0000-\u001F\u007F-\u009F\\]*$/,
    'A URL cannot contain a tab, line break or other control character, or a backslash: the URL parser would drop or rewrite it and store a different URL (percent-encode it: %0A, %5C)',
  )
  .check(z.url({ protocol: /^https?$/, hostname: HOST, error: 'Expected an absolute http(s) URL whose host is a domain name or an IP address' }))
  // Runs even when the check above failed, so an unparsable value is left for that failure to report.
  .overwrite((url) => (URL.canParse(url) ? new URL(url).href : url))
  // Again in the normal form, which percent-encoding lengthens: what is stored and served stays within the limit.
  .max(2000, 'Too long: a URL has at most 2000 characters in its normal form (spaces and quotes percent-encoded)')
  .meta({
    id: 'HttpUrl',
    format: 'uri',
    description:
      'An absolute http(s) URL, stored in its normal form: scheme and host lower-cased, spaces and quotes percent-encoded. ' +
      'Control characters (tab and line breaks too) and backslashes are refused, since the normal form would drop or change them.',
  });

export const ValidationIssue = z
  .object({
    in: z.enum(['path', 'query', 'header', 'body']).describe('Which part of the request.'),
    pointer: z.string().describe('JSON pointer to the offending value within that part, e.g. /limit.'),
    detail: z.string(),
  })
  .meta({ id: 'ValidationIssue' });

export const Problem = z
  .object({
    type: z.string().describe('A URI naming the problem type: `/problems/{code}`, which describes it.'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    code: z.string().describe('A stable, machine-readable code such as `claim-not-found` or `invalid-request`.'),
    instance: z.string().optional().describe('The request path.'),
    requestId: z.string().optional(),
    errors: z.array(ValidationIssue).optional().describe('Every invalid parameter, for `invalid-request`.'),
  })
  .meta({ id: 'Problem', description: 'An error, as RFC 9457 problem details (application/problem+json).' });
export type Problem = z.infer<typeof Problem>;

const ID_EXAMPLES: Record<ResourceType, string> = {
  claim: 'deepseek-v3-training-cost',
  source: 'deepseek-v3-technical-report',
  entity: 'deepseek',
};

/** The `{id}` of a claim's, source's or entity's URL, described and exemplified as that type's id. */
export const IdParams = Object.fromEntries(
  RESOURCE_TYPES.map((type) => [type, z.object({ id: Slug.describe(`The ${type}'s id.`).meta({ examples: [ID_EXAMPLES[type]] }) })]),
) as Record<ResourceType, z.ZodObject<{ id: typeof Slug }>>;

export const RecordLinks = z
  .object({
    self: z.string().describe('This record, always current.'),
    revision: z.string().describe('Permalink of the revision this body shows: it never changes, so cite it.'),
    revisions: z.string().describe('The history of this record.'),
  })
  .meta({ id: 'RecordLinks', description: 'Where to find this record, the revision shown, and its history.' });

export const EditReason = text(500).describe(
  'Edit summary: why the change is made. Required on every write and stored with the revision, beside the name of the API key that made it.',
);

export const PageLinks = z
  .object({ next: z.string().nullable().describe('URL of the next page; null on the last page.') })
  .meta({ id: 'PageLinks' });

/** A page of items with an opaque cursor to the next one. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
      links: PageLinks,
    })
    .meta({ id, description: 'A page of results in a stable order. The next page is also in the Link header.' });
}

/**
 * A whole number in a query string or path: digits only. Coercing with Number() took "0x10" as 16, "1e1" as 10 and
 * " 1" as 1; the schema (and so OpenAPI) is still an integer.
 */
export const wholeNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value), schema);

/**
 * The same in a path that names one thing for good (a revision's permalink): one spelling per number. "01" was
 * served as "1", with an immutable Cache-Control, so caches kept one revision under two URLs. A query's `limit=016`
 * names nothing and is still read as 16.
 */
export const canonicalWholeNumber = <T extends z.ZodType>(schema: T, name: string) =>
  z.preprocess((value, ctx) => {
    if (typeof value === 'string' && /^0\d/.test(value)) {
      const plain = value.replace(/^0+(?=\d)/, '');
      // 00 is not 0 written otherwise but no revision at all: say what is wrong without suggesting another error.
      ctx.addIssue({ code: 'custom', input: value, message: `${name} is written without leading zeros${/^[1-9]\d*$/.test(plain) ? `: ${plain}` : ''}` });
      return value;
    }
    return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  }, schema);

export const Limit = wholeNumber(
  z
    .int({ error: 'limit must be a whole number' })
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(20)
    .describe('Items per page, 1 to 100.')
    .meta({ examples: [20] }),
);

export const Cursor = z
  .string()
  .max(500)
  .meta({ examples: ['eyJhZnRlciI6ImRlZXBzZWVrLXYzLXRyYWluaW5nLWNvc3QifQ'] })
  .optional()
  .describe('Opaque cursor from a previous page (`nextCursor`).');
