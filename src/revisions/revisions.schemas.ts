// The shapes of history: a record's revisions, and the change feed across all records.
import { z } from 'zod';
import { Slug } from '../domain/ids.js';
import { ResourceType, RevisionAction } from '../domain/vocabulary.js';
import { canonicalWholeNumber, Cursor, Limit, pageOf, Timestamp } from '../http/schemas.js';

const revisionFields = {
  revision: z.int().min(1),
  action: RevisionAction,
  time: Timestamp.describe('When the change was committed.'),
  author: z.string().describe('Name of the API key that made the change (`seed` for the seed data).'),
  reason: z.string().describe('The edit summary given with the change.'),
};

export const RevisionSummary = z
  .object({
    ...revisionFields,
    links: z.object({ self: z.string().describe('Permalink of this revision: the record exactly as it was then.') }),
  })
  .meta({ id: 'RevisionSummary', description: 'One revision of a record, without its content.' });

export const RevisionPage = pageOf(RevisionSummary, 'RevisionPage');

/** The `{revision}` of a revision's URL, beside the record's `{id}` (IdParams). */
export const RevisionParams = {
  revision: canonicalWholeNumber(
    z
      .int({ error: 'revision must be a whole number' })
      .min(1, 'revisions start at 1')
      .max(Number.MAX_SAFE_INTEGER)
      .meta({ examples: [1] }),
    'revision',
  ).describe('The revision number: 1 for the record as created, one more for every change; digits without leading zeros.'),
};

// These cursors hold a number (a revision, a commit sequence), not an id: their own example.
const NumberCursor = Cursor.meta({ examples: ['eyJhZnRlciI6NDJ9'] });

export const HistoryQuery = z.strictObject({ limit: Limit, cursor: NumberCursor });

export const Change = z
  .object({
    resourceType: ResourceType,
    id: Slug,
    ...revisionFields,
    links: z.object({
      revision: z.string().describe('Permalink of the revision: fetch it to apply the change.'),
      current: z.string().describe('The record as it is now.'),
    }),
  })
  .meta({ id: 'Change', description: 'One create, update or retraction of a record.' });

export const ChangePage = z
  .object({
    items: z.array(Change),
    nextCursor: z.string().describe('Pass as `after` to continue; present even when the page is empty, so you can poll from it.'),
    links: z.object({ next: z.string().describe('The next page, from `nextCursor`.') }),
  })
  .meta({
    id: 'ChangePage',
    description: 'Changes in commit order. An empty page means you are up to date: poll again later with the same cursor.',
  });

export const ChangesQuery = z.strictObject({
  after: NumberCursor.describe('Opaque cursor from a previous page (`nextCursor`); omit to start from the first change.'),
  limit: Limit,
});
