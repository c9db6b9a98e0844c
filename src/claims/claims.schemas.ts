// The claim's shapes. The write shape (ClaimWrite) is what editors and the seed send; the read shape (Claim)
// is the same record with its references expanded and the server-owned fields added.
import { z } from 'zod';
import { optional, text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { PartialDate, Period } from '../domain/partial-date.js';
import { CitationRole, CitationStance, ClaimKind, EntityType, RelationType, RelationViewType, SourceType, Verdict } from '../domain/vocabulary.js';
import { EditReason, pageOf, RecordLinks, Timestamp } from '../http/schemas.js';
import { checkClaim } from './claim-checks.js';
import { Assessment, Caveat, Locator, Qualifier, Value } from './claim-parts.schemas.js';

/** A reference on write: just the id. The read shape adds the referenced record's name or title. */
const Ref = z.object({ id: Slug }).strict().meta({ id: 'Ref', description: 'A reference to another record by id.' });

const CitationWrite = z.strictObject({
  source: Ref,
  role: CitationRole,
  stance: CitationStance,
  quote: optional(text(5000)).describe('The exact words in the source.'),
  locator: optional(Locator),
});

const RelationWrite = z.strictObject({
  type: RelationType,
  claim: Ref,
  note: optional(text(1000)),
});

/** Fields an editor supplies; shared by the write shape and the read shape. */
const claimCore = {
  statement: text(2000).describe('The claim in neutral wording.'),
  articleWording: optional(text(4000)).describe('The claim as worded in the article it was collected from.'),
  kind: ClaimKind,
  claimedOn: optional(PartialDate).describe('When the claimant made the claim.'),
  factPeriod: optional(Period).describe('When the fact holds.'),
  value: optional(Value),
  qualifiers: z.array(Qualifier).max(50).default([]),
  caveats: z.array(Caveat).max(50).default([]).describe('In order of importance.'),
  assessment: Assessment,
};

/** What an editor writes besides the shared core: references by id. */
const claimWriteFields = {
  ...claimCore,
  subjects: z.array(Ref).min(1).max(50).describe('The entities the claim is about.'),
  claimant: optional(Ref).describe('The entity that asserts the claim (not the outlet that reports it); null when unknown.'),
  citations: z.array(CitationWrite).min(1).max(100),
  relations: z
    .array(RelationWrite)
    .max(100)
    .default([])
    .describe('Relations this claim holds. Inverse relations (`part_of`, `supported_by`...) belong to the other claim and are not written here.'),
};

const claimId = Slug.optional().describe('Readable id for a curated claim; generated when absent. An existing id is refused (409).');

export const ClaimWrite = z
  .object({ id: claimId, ...claimWriteFields })
  .strict()
  .superRefine(checkClaim)
  .meta({ id: 'ClaimWrite', description: 'A claim as an editor writes it.' });
export type ClaimWrite = z.output<typeof ClaimWrite>;

export const ClaimCreate = z
  .object({ id: claimId, ...claimWriteFields, reason: EditReason })
  .strict()
  .superRefine(checkClaim)
  .meta({
    id: 'ClaimCreate',
    description:
      'A new claim: the read shape less the server-owned fields (revision, timestamps, retraction, links), with references ' +
      'by id, plus the edit summary. Unknown or server-owned fields are refused (400).',
  });

export const ClaimReplace = z
  .object({ ...claimWriteFields, reason: EditReason })
  .strict()
  .superRefine(checkClaim)
  .meta({
    id: 'ClaimReplace',
    description:
      'The whole claim, replacing the current version (PUT): every field as in ClaimCreate except the id, which is the path. ' +
      'An omitted optional field is cleared; lists (citations, caveats, qualifiers, subjects, relations) are replaced as given.',
  });

export const RetractionRequest = z
  .strictObject({
    reason: EditReason.describe('Why the claim is retracted; shown on the claim and stored with the revision.'),
    supersededBy: Slug.optional().describe('The claim that replaces this one; it must exist (422 otherwise).'),
  })
  .meta({ id: 'RetractionRequest' });

export const Retraction = z
  .object({
    reason: z.string(),
    retractedAt: Timestamp,
    supersededBy: Slug.nullable().describe('The claim that replaces this one, if any.'),
  })
  .meta({ id: 'Retraction', description: 'Why and when a claim was retracted. A retracted claim stays readable at its URL.' });

export const EntityRef = z
  .object({ id: Slug, name: z.string(), type: EntityType })
  .meta({ id: 'EntityRef', description: 'An entity, named.' });

export const SourceRef = z
  .object({
    id: Slug,
    type: SourceType,
    title: z.string(),
    publisher: z.string().nullable(),
    publishedOn: PartialDate.nullable(),
    url: z.string().nullable(),
  })
  .meta({ id: 'SourceRef', description: 'A source, summarised for inlining in a claim.' });

export const Citation = z
  .object({
    source: SourceRef,
    role: CitationRole,
    stance: CitationStance,
    quote: z.string().nullable(),
    locator: Locator.nullable(),
  })
  .meta({ id: 'Citation' });

export const ClaimRef = z
  .object({
    id: Slug,
    statement: z.string(),
    retracted: z.boolean().describe('True once that claim is retracted: GET it for why, and for the claim that replaces it.'),
  })
  .meta({ id: 'ClaimRef', description: 'Another claim, as it is now.' });

export const Relation = z
  .object({ type: RelationViewType, claim: ClaimRef, note: z.string().nullable() })
  .meta({ id: 'Relation' });

const serverOwned = {
  revision: z.int().min(1).describe('Increases by one with every change.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
const retraction = Retraction.nullable().describe('Null unless the claim is retracted. Lists leave retracted claims out unless `includeRetracted=true`.');

export const Claim = z
  .object({
    id: Slug,
    ...claimCore,
    subjects: z.array(EntityRef),
    claimant: EntityRef.nullable(),
    citations: z.array(Citation),
    relations: z.array(Relation),
    supersedes: z
      .array(ClaimRef)
      .describe(
        'Retracted claims that name this one as their replacement (their `retraction.supersededBy`), by id. Not the ' +
          'same as a relation of type `supersedes` in `relations`, which an editor states between two claims, neither ' +
          'retracted; this list follows from retractions alone.',
      ),
    ...serverOwned,
    retraction,
    links: RecordLinks,
  })
  .meta({ id: 'Claim', description: 'A claim with its value, timing, assessment, caveats, sources and related claims.' });
export type Claim = z.output<typeof Claim>;

export const ClaimSummary = z
  .object({
    id: Slug,
    statement: z.string(),
    kind: ClaimKind,
    value: Value.nullable(),
    subjects: z.array(EntityRef),
    claimant: EntityRef.nullable(),
    claimedOn: PartialDate.nullable(),
    factPeriod: Period.nullable(),
    verdict: Verdict,
    ...serverOwned,
    retraction,
    links: RecordLinks,
  })
  .meta({ id: 'ClaimSummary', description: 'A claim as listed: fetch it by id for caveats, citations and relations.' });
export type ClaimSummary = z.output<typeof ClaimSummary>;

/**
 * A reference in a revision: the record's id and the revision it had when this revision was recorded. Entities and
 * sources change after a claim cites them (a renamed entity, a corrected source title), so an id alone would let an
 * old revision's meaning drift with them; the pinned revision is what the claim referred to then.
 */
const PinnedRef = z
  .object({
    id: Slug,
    revision: z
      .int()
      .min(1)
      .describe("That record's revision when this revision was recorded; it is at `/v1/{claims|sources|entities}/{id}/revisions/{revision}`."),
  })
  .meta({ id: 'PinnedRef', description: 'A reference to another record by id, pinned to the revision it had at the time.' });

export const ClaimRevision = z
  .object({
    id: Slug,
    ...claimWriteFields,
    subjects: z.array(PinnedRef).describe('The entities the claim is about.'),
    claimant: PinnedRef.nullable().describe('The entity that asserts the claim; null when unknown.'),
    citations: z.array(CitationWrite.extend({ source: PinnedRef })),
    relations: z.array(RelationWrite.extend({ claim: PinnedRef })).describe('Relations this claim holds (not the inverse ones).'),
    ...serverOwned,
    retraction: Retraction.nullable()
      .optional()
      .describe('Null unless the claim was retracted at this revision; absent in revisions recorded before retraction existed.'),
  })
  .meta({
    id: 'ClaimRevision',
    description:
      "A claim exactly as it was recorded at one revision: the claim's own data, with each reference by id and pinned to the revision that record had then (GET that revision for its name, title or statement as the claim meant it).",
  });
export type ClaimRevision = z.output<typeof ClaimRevision>;

type Unpinned<T> = Omit<T, 'revision'>;
/** A claim revision as it is stored: references by id alone; the revisions they had are found when it is read. */
export type ClaimSnapshot = Omit<ClaimRevision, 'subjects' | 'claimant' | 'citations' | 'relations'> & {
  subjects: Unpinned<ClaimRevision['subjects'][number]>[];
  claimant: Unpinned<NonNullable<ClaimRevision['claimant']>> | null;
  citations: (Omit<ClaimRevision['citations'][number], 'source'> & { source: { id: string } })[];
  relations: (Omit<ClaimRevision['relations'][number], 'claim'> & { claim: { id: string } })[];
};

export const ClaimPage = pageOf(ClaimSummary, 'ClaimPage');
