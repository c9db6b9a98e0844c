// Finding claims: the list's query parameters (zod, so also its OpenAPI), the repository filters they become, and
// the cursors of its pages. The SQL for them is in claims.list-sql.ts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Slug } from '../domain/ids.js';
import { firstDay, lastDay, PartialDateString } from '../domain/partial-date.js';
import { CITATION_ROLES, ClaimKind, QUALIFIER_KEYS, Verdict } from '../domain/vocabulary.js';
import { Decimal } from '../domain/decimal.js';
import { Cursor, Limit } from '../http/schemas.js';
import { Unit } from './claim-parts.schemas.js';
import { SEARCH_MATCHES, type SearchMatch } from '../search/search-query.js';

export const IncludeRetracted = z
  .enum(['true', 'false'])
  .meta({ examples: ['true'] })
  .default('false')
  .transform((v) => v === 'true')
  .describe('`true` to list retracted claims too; by default they are left out.');

const dateFilter = (what: string) =>
  PartialDateString.optional().describe(
    `${what}, at year, month or day precision. Matches claims whose period overlaps: a claim dated January 2025 ` +
      'matches any range that includes a day of January 2025 (e.g. 2025-01-15..2025-01-31).',
  );

export const SORTS = ['relevance', 'id', 'factDate', '-factDate', 'claimedOn', '-claimedOn', 'value', '-value', 'updated', '-updated'] as const;
export const FACETS = ['kind', 'verdict', 'subject', 'claimant', 'unit', 'year'] as const;
export type Facet = (typeof FACETS)[number];

const QUALIFIER_EXAMPLES: Partial<Record<(typeof QUALIFIER_KEYS)[number], string>> = {
  model: 'DeepSeek-V3', stage: 'pre-training', hardware: 'Nvidia H800', chart: 'Top Free (iPhone)', store: 'Apple App Store',
  country: 'US', region: 'global', ticker: 'NVDA', exchange: 'NASDAQ', dataVendor: 'LSEG', licence: 'MIT License',
  priceBasis: 'Assumed rental price of $2 per H800 GPU-hour', scope: 'over the company history', period: 'by 2030',
  coverage: 'code repository and model weights',
};

/** `qualifier.country=US` and the like: one optional parameter per qualifier key, matched exactly. */
const qualifierParams = Object.fromEntries(
  QUALIFIER_KEYS.map((k) => [
    `qualifier.${k}`,
    z.string().min(1).max(300).optional().describe(`Only claims with qualifier ${k} equal to this value (exact match).`).meta({ examples: [QUALIFIER_EXAMPLES[k]!] }),
  ]),
) as Record<`qualifier.${(typeof QUALIFIER_KEYS)[number]}`, z.ZodOptional<z.ZodString>>;

export const ClaimListQuery = z
  .strictObject({
    q: z
      .string()
      .optional()
      .describe(
        'Full-text search of the statement, the wording as found, caveats, citation quotes, qualifiers and the names ' +
          'and aliases of subjects and claimant. Words must all match; "quoted phrases"; prefix* (at least 3 letters or ' +
          'digits before the *, and at most 4 prefixes a query: shorter or more match too many words to search); OR, NOT ' +
          'and AND in capitals between terms, OR binding first, as in a web search: `nvidia OR broadcom market cap` is ' +
          '(nvidia OR broadcom) AND market AND cap, and `deepseek NOT r1 OR v2` leaves out both. Case and accents fold ' +
          '(Zurich finds Zürich). A number is one word, ' +
          'matched whole and as written, and the letters of a unit after it another: 5.576 finds $5.576M, 800 and $800B ' +
          'find $800B, 1.6 finds $1.6B; 6 does not find 5.6, 576 does not find 5.576, 800 does not find 8000. A number ' +
          'of 4 digits or more is found with thousands separators or without (2048 finds 2,048, and 2025 also 2,025). ' +
          'Currency signs are not indexed. An unquoted word also finds its plural or singular (GPU and GPUs, company ' +
          'and companies, H800 and H800s, by the regular English rules) and its listed equivalents: cap and ' +
          'capitalization (market cap), bn and billion, mn and million, a month and its abbreviations (January and ' +
          'Jan; September, Sept and Sep), British and American spellings (centre, center); a magnitude with its ' +
          'number, typed together or apart ($800B, $800bn and $800 billion find each other, next to the number only; ' +
          'a single letter apart, as in 800 B, is a word). A quoted phrase is searched as written ("market ' +
          'cap" does not find market capitalization, "GPUs" not GPU). At most 500 characters and 32 terms. ' +
          'Results are ranked by relevance unless `sort` says otherwise; each item then carries a `snippet`.',
      )
      .meta({ examples: ['deepseek training cost', 'nvidia market cap', '"market cap" nvidia', 'deeps*', 'nvidia OR broadcom', '5.576'] }),
    match: z
      .enum(SEARCH_MATCHES)
      .optional()
      .describe(
        'How the words of `q` with no operator between them combine: `all` must be in a claim, `any` may. Left out, ' +
          'a search of two or more plain words (no AND, OR or NOT written) that no claim holds every word of is ' +
          'answered as `match=any`, best first, and the response says so in `match`: a question typed as it comes ' +
          '("what did SemiAnalysis claim") finds the claims holding some of its words, leaving out those that only make ' +
          'it a question (what, did, the, of, claim and the like) when another remains. `all` never relaxes. With operators ' +
          'written, `any` joins by OR only the words with none between them: `nvidia broadcom NOT lseg` is ' +
          '(nvidia OR broadcom) NOT lseg.',
      )
      .meta({ examples: ['any'] }),
    kind: ClaimKind.optional().describe('Only claims of this kind.'),
    subject: Slug.optional().describe('Only claims about this entity.').meta({ examples: ['nvidia'] }),
    claimant: Slug.optional().describe('Only claims made by this entity.').meta({ examples: ['semianalysis'] }),
    source: Slug.optional().describe('Only claims citing this source.').meta({ examples: ['deepseek-v3-technical-report'] }),
    citationRole: z.enum(CITATION_ROLES).meta({ examples: ['primary'] }).optional().describe('Only claims with at least one citation in this role, e.g. `primary`.'),
    verdict: Verdict.optional().describe("Only claims with this verdict (the service's assessment)."),
    unit: Unit.optional().describe('Only claims whose value is in this unit; required with valueMin, valueMax and sort=value.'),
    valueMin: Decimal.optional().describe(
      'Only claims whose value can be at least this (needs `unit`). Comparator-aware: `gt`/`gte` 500000000 ("more than ' +
        '$500M") matches valueMin=400000000; `lte` 100 matches any valueMin up to 100, and `lt` 100 ("less than 100") ' +
        'only those below 100; `between` matches when its range reaches the bound; `eq` and `approx` count as exactly ' +
        'their amount. Compared as 64-bit floating point (15 significant digits hold exactly), not as the exact decimal ' +
        'stored. Changes are signed: a loss of $100B is -100000000000.',
    ).meta({ examples: ['400000000'] }),
    valueMax: Decimal.optional()
      .describe(
        'Only claims whose value can be at most this (needs `unit`); the same rules as valueMin, mirrored: `gt` 500000000 ' +
          '("more than $500M") matches valueMax=600000000 but not valueMax=500000000. Losses of $100B or more: ' +
          'valueMax=-100000000000.',
      )
      .meta({ examples: ['-100000000000'] }),
    ...qualifierParams,
    factFrom: dateFilter('Fact period ends on or after this date'),
    factTo: dateFilter('Fact period starts on or before this date'),
    claimedFrom: dateFilter('Claimed on or after this date'),
    claimedTo: dateFilter('Claimed on or before this date'),
    includeRetracted: IncludeRetracted,
    sort: z
      .enum(SORTS)
      .optional()
      .describe(
        'Order of the results: `relevance` (the default with `q`, best first), `id` (the default without, ascending), ' +
          '`factDate`, `claimedOn`, `value` (needs `unit`) or `updated`; a leading `-` sorts these last four descending. ' +
          'Claims without the key come last.',
      )
      .meta({ examples: ['-claimedOn'] }),
    facets: z
      .string()
      .regex(new RegExp(`^(${FACETS.join('|')})(,(${FACETS.join('|')}))*$`), `facets is a comma-separated list of: ${FACETS.join(', ')}`)
      .optional()
      .describe(
        `Counts of matching claims per value, for the same query and filters: any of ${FACETS.join(', ')} (year: the year ` +
          'the claim was made). The 50 most frequent values of each facet are returned.',
      )
      .meta({ examples: ['kind,verdict'] }),
    limit: Limit,
    cursor: Cursor,
  })
  .superRefine((q, ctx) => checkListQuery(q, ctx));
export type ClaimListQuery = z.output<typeof ClaimListQuery>;

/**
 * What the list's parameters must say together, for the API and the search page alike: dates in order, values with
 * their unit and in order, and what needs a search query.
 */
export function checkListQuery(q: Partial<ClaimListQuery>, ctx: z.RefinementCtx): void {
  for (const [from, to] of [['factFrom', 'factTo'], ['claimedFrom', 'claimedTo']] as const) {
    const a = q[from];
    const b = q[to];
    if (a !== undefined && b !== undefined && lastDay(b) < firstDay(a))
      ctx.addIssue({ code: 'custom', path: [to], message: `${to} is before ${from}` });
  }
  for (const k of ['valueMin', 'valueMax'] as const)
    if (q[k] !== undefined && q.unit === undefined)
      ctx.addIssue({ code: 'custom', path: [k], message: `${k} needs unit (e.g. unit=USD): values in different units do not compare` });
  if (q.valueMin !== undefined && q.valueMax !== undefined && Number(q.valueMax) < Number(q.valueMin))
    ctx.addIssue({ code: 'custom', path: ['valueMax'], message: 'valueMax is below valueMin' });
  if ((q.sort === 'value' || q.sort === '-value') && q.unit === undefined)
    ctx.addIssue({ code: 'custom', path: ['sort'], message: 'sort=value needs unit (e.g. unit=USD): values in different units do not compare' });
  if (q.match !== undefined && q.q === undefined)
    ctx.addIssue({ code: 'custom', path: ['match'], message: 'match says how the words of a search combine: it needs a search query q' });
  if (q.sort === 'relevance' && q.q === undefined)
    ctx.addIssue({ code: 'custom', path: ['sort'], message: 'sort=relevance needs a search query q' });
}

export interface ClaimFilters {
  kind?: string | undefined;
  subject?: string | undefined;
  claimant?: string | undefined;
  source?: string | undefined;
  citationRole?: string | undefined;
  verdict?: string | undefined;
  unit?: string | undefined;
  valueMin?: number | undefined;
  valueMax?: number | undefined;
  /** qualifier key -> exact value */
  qualifiers?: Record<string, string> | undefined;
  /** Inclusive day bounds ("2025-01-01"), already widened from the precision the client gave. */
  factFrom?: string | undefined;
  factTo?: string | undefined;
  claimedFrom?: string | undefined;
  claimedTo?: string | undefined;
  /** Retracted claims are left out unless this is true. */
  includeRetracted?: boolean | undefined;
}

/** Turns the list query into repository filters, widening partial dates to the days they cover. */
export function toClaimFilters(q: ClaimListQuery): ClaimFilters {
  const qualifiers: Record<string, string> = {};
  for (const k of QUALIFIER_KEYS) {
    const v = q[`qualifier.${k}`];
    if (v !== undefined) qualifiers[k] = v;
  }
  return {
    kind: q.kind,
    subject: q.subject,
    claimant: q.claimant,
    source: q.source,
    citationRole: q.citationRole,
    verdict: q.verdict,
    unit: q.unit,
    valueMin: q.valueMin === undefined ? undefined : Number(q.valueMin),
    valueMax: q.valueMax === undefined ? undefined : Number(q.valueMax),
    qualifiers: Object.keys(qualifiers).length > 0 ? qualifiers : undefined,
    factFrom: q.factFrom && firstDay(q.factFrom),
    factTo: q.factTo && lastDay(q.factTo),
    claimedFrom: q.claimedFrom && firstDay(q.claimedFrom),
    claimedTo: q.claimedTo && lastDay(q.claimedTo),
    includeRetracted: q.includeRetracted,
  };
}

// ---- Cursors -----------------------------------------------------------------------------------------------------

/** A position's sort key, as each sort's SQL gives it (claims.list-sql.ts SORT_KEYS). */
const SORT_KEY: Record<string, z.ZodType> = {
  factDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  claimedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  updated: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/),
  value: z.number(),
};

// `scope` ties a cursor to the list it pages through (listScope). Every cursor must carry it: one without could be
// used on any list, and a position means nothing in another search or order (a relevance score from one search
// skipped results in another). Cursors issued before scope was added (30 Nov 2026) are refused with the rest, and
// the client starts again from the first page, rather than getting a page that may be wrong.
const scope = z.string().max(24);
const CursorPayload = z.discriminatedUnion('phase', [
  z.strictObject({ sort: z.enum(SORTS), phase: z.literal('id'), id: Slug, scope }),
  z.strictObject({ sort: z.enum(SORTS), phase: z.literal('n'), id: Slug, scope }),
  z.strictObject({ sort: z.enum(SORTS), phase: z.literal('k'), key: z.union([z.string().max(100), z.number()]), id: Slug, scope }),
  z.strictObject({
    sort: z.literal('relevance'),
    phase: z.literal('r'),
    score: z.number(),
    doc: z.int().positive(),
    // The first page's window (newest and, when it was full, oldest match), the change number when this page was
    // made, and the claim shown before the last with its score (RelevanceCursor in claims.relevance-sql.ts).
    top: z.int().positive().optional(),
    bottom: z.int().positive().optional(),
    seq: z.int().nonnegative().optional(),
    prev: z.int().positive().optional(),
    prevScore: z.number().optional(),
    // The search's terms left out of its scores on the first page, by position (claims.relevance-plan.ts).
    skip: z.array(z.int().nonnegative().max(31)).max(32).optional(),
    scope,
  }),
  z.strictObject({ sort: z.literal('relevance'), phase: z.literal('t'), doc: z.int().positive(), scope }),
]);
/** A cursor's position: what it holds besides the scope, which decodeListCursor checks and drops. */
export type CursorPayload = z.output<typeof CursorPayload> extends infer P ? (P extends unknown ? Omit<P, 'scope'> : never) : never;

/**
 * A short digest of what a list holds: its filters, search and order, but not its page size or facets. A cursor
 * carries it, so that one used with another search or other filters is refused instead of resuming at a position
 * that means nothing there (a relevance cursor from one search skipped results in another).
 */
export function listScope(filters: ClaimFilters, q: string | undefined, sort: (typeof SORTS)[number], match: SearchMatch = 'all'): string {
  const { qualifiers, includeRetracted, ...rest } = filters;
  const held: [string, unknown][] = Object.entries(rest).filter(([, v]) => v !== undefined);
  if (qualifiers !== undefined) held.push(...Object.entries(qualifiers).map(([k, v]): [string, unknown] => [`qualifier.${k}`, v]));
  if (includeRetracted === true) held.push(['includeRetracted', true]);
  if (q !== undefined) held.push(['q', q]);
  // Only `any` is held, so that the cursors of a search that did not relax stay those issued before match existed.
  if (match === 'any') held.push(['match', match]);
  held.sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify([sort, held])).digest('base64url').slice(0, 16);
}

export function encodeListCursor(payload: CursorPayload, scope: string): string {
  return Buffer.from(JSON.stringify({ ...payload, scope })).toString('base64url');
}

/**
 * The position a cursor holds, or null when it is not one this service issued for this list (its sort, filters and
 * search). Cursors of the first release ({"after": id}) still work for the default order: a position in id order
 * means the same in every list ordered by id, whatever its filters.
 */
export function decodeListCursor(cursor: string, sort: (typeof SORTS)[number], scope: string): CursorPayload | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (sort === 'id' && raw !== null && typeof raw === 'object' && 'after' in raw) {
    const id = Slug.safeParse((raw as { after: unknown }).after);
    return id.success ? { sort: 'id', phase: 'id', id: id.data } : null;
  }
  const parsed = CursorPayload.safeParse(raw);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.sort !== sort || p.scope !== scope) return null;
  if (p.phase === 'k' && !SORT_KEY[sort.replace(/^-/, '')]!.safeParse(p.key).success) return null;
  const { scope: _, ...position } = p;
  return position;
}
