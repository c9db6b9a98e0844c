// The claims list's page as a search answers it: each hit's snippet, how its words matched, a respelled search, the
// search read as filters, and facet counts. Apart from the claim's own schemas (claims.schemas.ts) as the search is
// apart from the record.
import { z } from 'zod';
import { Slug } from '../domain/ids.js';
import { pageOf } from '../http/schemas.js';
import { SEARCH_MATCHES } from '../search/search-query.js';
import { ClaimSummary } from './claims.schemas.js';

const FacetCount = z
  .object({
    value: z.string().describe('The facet value: a kind, verdict, unit, year or entity id, usable as the filter of that name.'),
    label: z.string().nullable().describe("The entity's name for subject and claimant; null otherwise."),
    count: z.int().describe('Claims matching the query and filters with this value.'),
  })
  .meta({ id: 'FacetCount' });

/** The claims list: a page, with a snippet per hit when searching, and the facet counts that were asked for. */
export const ClaimSearchPage = pageOf(
  ClaimSummary.extend({
    snippet: z
      .string()
      .optional()
      .describe(
        'With `q` only: where the claim matched, HTML-escaped, the matching words in <mark>…</mark>. From the statement ' +
          'when it holds every term; otherwise from the statement and the rest of the indexed text (wording, caveats, quotes, ' +
          'names), in up to two extracts joined by "…", so that every term the claim holds is shown where it can be.',
      ),
  }).meta({ id: 'ClaimListItem', description: 'A claim as listed, with a search snippet when `q` was given.' }),
  'ClaimSearchPage',
).extend({
  match: z
    .enum(SEARCH_MATCHES)
    .optional()
    .describe(
      'With `q` only: how its words were matched. `all`: each claim holds every word (or what the operators say). ' +
        '`any`: no claim holds every word, so these hold some of them, best first; the next page keeps to that reading ' +
        '(its link carries `match=any`, and `nextCursor` pages it with or without).',
    ),
  suggestion: z
    .string()
    .optional()
    .describe(
      'With `q` only, on a first page, when the search as written found no claim: the search again with each word that ' +
        'no claim holds replaced by the word one edit away (a letter left out, added, changed, or two swapped) that ' +
        'the most claims hold, or else by a word of an entity\'s name two edits away (only into a name where the search, ' +
        'read relaxed, found claims all the same), given only ' +
        'when it finds claims under the same filters. Numbers and question words are never respelled. ' +
        'Send it as `q` to search it.',
    )
    .meta({ example: 'Nvidia market cap' }),
  asFilters: z
    .object({
      q: z.string().optional().describe('The words left to search, without the question words; absent when none are left.'),
      claimant: Slug.optional().describe('The entity named as who made the claims ("did SemiAnalysis claim", "according to Bloomberg", "by SemiAnalysis").'),
      subject: Slug.optional().describe('The entity named as what the claims are about ("about Nvidia", "regarding the DeepSeek app").'),
      unit: z.string().optional().describe('The unit of an amount: its currency ($ and US$: USD, €: EUR, £: GBP), or GPUs, GPU-hours, percent, tokens or parameters; rank for "No. 1" or "top 10".'),
      valueMin: z.string().optional().describe('A lower bound read from the amount, as an exact decimal.'),
      valueMax: z.string().optional().describe('An upper bound read from the amount, as an exact decimal.'),
      factFrom: z.string().optional().describe('Where the period read starts, at the precision written: the fact holds at some time in it or later.'),
      factTo: z.string().optional().describe('Where the period read ends: the fact holds at some time in it or earlier. A single date is both ends.'),
      claimedFrom: z.string().optional().describe('As factFrom, for a date read after a verb of saying ("said in 2024"): when the claim was made.'),
      claimedTo: z.string().optional().describe('As factTo, for a date read after a verb of saying.'),
      href: z.string().describe('This search with these filters set and `q` replaced by the words left: follow it to search so.'),
    })
    .optional()
    .describe(
      'With `q` only, on a first page: the search read as filters, when it holds an amount after a comparison ("over ' +
        '$100 billion", "under €5m", "over 10,000 GPUs") or between two ("between $5 and $6 million"), a rank ("No. 1", ' +
        '"top 10"), a date ("in January 2025", "on 27 Jan 2025", "in 2025"), a range or an open end ("between 2023 and ' +
        '2025", "from March 2024 to January 2025", "since 2024", "before 2025", "until 2024"), a period relative to today ' +
        '("last year", "this month"), who claimed it ("did SemiAnalysis claim", "according to Bloomberg", "estimates by ' +
        'SemiAnalysis") or what it is about ("about Nvidia"), and the request does not set those filters already; given ' +
        'only when it finds claims. Where the search speaks of a fall (loss, lost, fell, drop...), an amount is a ' +
        'negative change: "a loss over $100 billion" is valueMax=-100000000000 (a rank stays a rank). Bounds are ' +
        'inclusive. Offered, not applied.',
    )
    .meta({
      example: {
        q: 'market loss',
        unit: 'USD',
        valueMax: '-100000000000',
        factFrom: '2025-01',
        factTo: '2025-01',
        href: '/v1/claims?q=market+loss&unit=USD&valueMax=-100000000000&factFrom=2025-01&factTo=2025-01',
      },
    }),
  facets: z
    .record(z.string(), z.array(FacetCount))
    .optional()
    .describe('Only with `facets`: per facet, the 50 most frequent values among all matching claims (not just this page).'),
}).meta({ id: 'ClaimSearchPage', description: 'A page of claims in the requested order; the next page is also in the Link header.' });
