// The one mapping between claim rows (snake_case) and the API's claim shapes (camelCase).
import { toPartialDate } from '../domain/partial-date.js';
import { INVERSE_RELATION, type RELATION_TYPES, type ResourceType } from '../domain/vocabulary.js';
import { recordLinks } from '../http/links.js';
import type { Claim, ClaimRevision, ClaimSnapshot, ClaimSummary } from './claims.schemas.js';

/**
 * The columns every claim query selects from `claims c`. The claimant's name and type come from scalar subqueries:
 * measured on SQLite 3.53, a LEFT JOIN to entities made a claim lookup about three times slower than this.
 */
export const CLAIM_COLUMNS = `
  c.id, c.statement, c.article_wording, c.kind, c.claimed_on, c.fact_start, c.fact_end,
  c.value_comparator, c.value_amount, c.value_lower, c.value_upper, c.value_unit, c.value_basis,
  c.verdict, c.verdict_explanation, c.revision, c.created_at, c.updated_at,
  c.retraction_reason, c.retracted_at, c.superseded_by,
  c.doc_id, c.claimant_id,
  (SELECT name FROM entities WHERE id = c.claimant_id) AS claimant_name,
  (SELECT type FROM entities WHERE id = c.claimant_id) AS claimant_type`;

export interface ClaimRow {
  id: string;
  /** The claim's full-text document id (claims_fts rowid). */
  doc_id: number;
  statement: string;
  article_wording: string | null;
  kind: Claim['kind'];
  claimed_on: string | null;
  fact_start: string | null;
  fact_end: string | null;
  value_comparator: NonNullable<Claim['value']>['comparator'] | null;
  value_amount: string | null;
  value_lower: string | null;
  value_upper: string | null;
  value_unit: string | null;
  value_basis: string | null;
  verdict: Claim['assessment']['verdict'];
  verdict_explanation: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
  retraction_reason: string | null;
  retracted_at: string | null;
  superseded_by: string | null;
  claimant_id: string | null;
  claimant_name: string | null;
  claimant_type: Claim['subjects'][number]['type'] | null;
}

export interface EntityRefRow {
  claim_id: string;
  id: string;
  name: string;
  type: Claim['subjects'][number]['type'];
}

export interface CitationRow {
  role: Claim['citations'][number]['role'];
  stance: Claim['citations'][number]['stance'];
  quote: string | null;
  locator: string | null;
  source_id: string;
  source_type: Claim['citations'][number]['source']['type'];
  source_title: string;
  source_publisher: string | null;
  source_published_on: string | null;
  source_url: string | null;
}

export interface RelationRow {
  direction: 'out' | 'in';
  type: (typeof RELATION_TYPES)[number];
  other_id: string;
  other_statement: string;
  other_retracted: 0 | 1;
  note: string | null;
}

export const rowToValue = (r: ClaimRow): Claim['value'] =>
  r.value_comparator === null
    ? null
    : {
        comparator: r.value_comparator,
        amount: r.value_amount,
        lower: r.value_lower,
        upper: r.value_upper,
        unit: r.value_unit as string,
        basis: r.value_basis,
      };

const rowToPeriod = (r: ClaimRow): Claim['factPeriod'] =>
  r.fact_start === null || r.fact_end === null
    ? null
    : { start: toPartialDate(r.fact_start)!, end: toPartialDate(r.fact_end)! };

const rowToClaimant = (r: ClaimRow): Claim['claimant'] =>
  r.claimant_id === null ? null : { id: r.claimant_id, name: r.claimant_name as string, type: r.claimant_type! };

const rowToRetraction = (r: ClaimRow): Claim['retraction'] =>
  r.retracted_at === null
    ? null
    : { reason: r.retraction_reason as string, retractedAt: r.retracted_at, supersededBy: r.superseded_by };

export const rowToEntityRef = (r: EntityRefRow) => ({ id: r.id, name: r.name, type: r.type });

export function rowToCitation(r: CitationRow): Claim['citations'][number] {
  return {
    source: {
      id: r.source_id,
      type: r.source_type,
      title: r.source_title,
      publisher: r.source_publisher,
      publishedOn: toPartialDate(r.source_published_on),
      url: r.source_url,
    },
    role: r.role,
    stance: r.stance,
    quote: r.quote,
    locator: r.locator === null ? null : JSON.parse(r.locator),
  };
}

export function rowToRelation(r: RelationRow): Claim['relations'][number] {
  return {
    type: r.direction === 'out' ? r.type : (INVERSE_RELATION[r.type] as Claim['relations'][number]['type']),
    claim: { id: r.other_id, statement: r.other_statement, retracted: r.other_retracted === 1 },
    note: r.note,
  };
}

/** Key order follows the Claim schema, so JSON.stringify and the compiled serializer write identical bytes. */
export function rowToClaim(
  r: ClaimRow,
  parts: Pick<Claim, 'subjects' | 'qualifiers' | 'caveats' | 'citations' | 'relations' | 'supersedes'>,
): Claim {
  return {
    id: r.id,
    statement: r.statement,
    articleWording: r.article_wording,
    kind: r.kind,
    claimedOn: toPartialDate(r.claimed_on),
    factPeriod: rowToPeriod(r),
    value: rowToValue(r),
    qualifiers: parts.qualifiers,
    caveats: parts.caveats,
    assessment: { verdict: r.verdict, explanation: r.verdict_explanation },
    subjects: parts.subjects,
    claimant: rowToClaimant(r),
    citations: parts.citations,
    relations: parts.relations,
    supersedes: parts.supersedes,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    retraction: rowToRetraction(r),
    links: recordLinks('claim', r.id, r.revision),
  };
}

export function rowToClaimSummary(r: ClaimRow, subjects: ClaimSummary['subjects']): ClaimSummary {
  return {
    id: r.id,
    statement: r.statement,
    kind: r.kind,
    value: rowToValue(r),
    subjects,
    claimant: rowToClaimant(r),
    claimedOn: toPartialDate(r.claimed_on),
    factPeriod: rowToPeriod(r),
    verdict: r.verdict,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    retraction: rowToRetraction(r),
    links: recordLinks('claim', r.id, r.revision),
  };
}

const isStoredRelation = (r: Claim['relations'][number]): r is Claim['relations'][number] & { type: (typeof RELATION_TYPES)[number] } =>
  !Object.values(INVERSE_RELATION).includes(r.type);

/**
 * The claim's own data, as a revision records it: references by id, only the relations this claim holds (the
 * inverse ones belong to the other claim), no links.
 */
export function claimToRecord(c: Claim): ClaimSnapshot {
  return {
    id: c.id,
    statement: c.statement,
    articleWording: c.articleWording,
    kind: c.kind,
    claimedOn: c.claimedOn,
    factPeriod: c.factPeriod,
    value: c.value,
    qualifiers: c.qualifiers,
    caveats: c.caveats,
    assessment: c.assessment,
    subjects: c.subjects.map((s) => ({ id: s.id })),
    claimant: c.claimant && { id: c.claimant.id },
    citations: c.citations.map((x) => ({ source: { id: x.source.id }, role: x.role, stance: x.stance, quote: x.quote, locator: x.locator })),
    relations: c.relations.filter(isStoredRelation).map((r) => ({ type: r.type, claim: { id: r.claim.id }, note: r.note })),
    revision: c.revision,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    retraction: c.retraction,
  };
}

/**
 * A stored claim revision as its permalink serves it: each reference pinned to the revision that record had when
 * this revision was recorded (`revisionOf`), so that a renamed entity or a corrected source cannot change what an old
 * revision says. References are checked to exist when a claim is written, so each has a revision by then.
 */
export function pinReferences(snapshot: ClaimSnapshot, revisionOf: (type: ResourceType, id: string) => number | null): ClaimRevision {
  const pin = (type: ResourceType, ref: { id: string }) => ({ ...ref, revision: revisionOf(type, ref.id) ?? undefined }) as { id: string; revision: number };
  return {
    ...snapshot,
    subjects: snapshot.subjects.map((s) => pin('entity', s)),
    claimant: snapshot.claimant && pin('entity', snapshot.claimant),
    citations: snapshot.citations.map((c) => ({ ...c, source: pin('source', c.source) })),
    relations: snapshot.relations.map((r) => ({ ...r, claim: pin('claim', r.claim) })),
  };
}
