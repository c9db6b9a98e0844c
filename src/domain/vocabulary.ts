// Controlled vocabularies. Each list is mirrored by a CHECK constraint in migrations/0001_init.sql;
// tests/schema-vocabulary.test.ts fails if the two drift apart.
import { z } from 'zod';

export const CLAIM_KINDS = [
  'cost_figure', // a cost disclosed by the party that incurred it
  'spend_estimate', // a third party's estimate of spending
  'download_ranking',
  'market_value_change',
  'policy_action',
  'forecast',
  'quote',
  'licence',
  'quantity', // any other measured figure: GPU-hours, GPU counts, parameters
] as const;
export const ClaimKind = z.enum(CLAIM_KINDS).meta({
  id: 'ClaimKind',
  description: 'What sort of assertion the claim is.',
  examples: ['market_value_change'],
});

export const COMPARATORS = ['eq', 'approx', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export const Comparator = z.enum(COMPARATORS).meta({
  id: 'Comparator',
  description:
    'How the stated amount relates to the true value: `eq` exactly, at the precision the source states it to ' +
    '("$589 billion" is to the nearest billion; `basis` says so), `approx` about (a hedged or round figure: ' +
    '"close to $600 billion"), `gt`/`gte` a lower bound ("more than"), `lt`/`lte` an upper bound, `between` a ' +
    'range given by `lower` and `upper`.',
});

/** Units that are not money. Money is an ISO 4217 code (`USD`). */
export const NON_MONEY_UNITS = ['GPU-hours', 'GPUs', 'rank', 'percent', 'count', 'tokens', 'parameters'] as const;

export const QUALIFIER_KEYS = [
  'model', // which model a figure belongs to
  'stage', // which stage of a process (pre-training, post-training)
  'hardware',
  'priceBasis',
  'scope',
  'chart', // ranking chart, e.g. Top Free (iPhone)
  'store',
  'country', // ISO 3166-1 alpha-2 where it is a country
  'region',
  'ticker',
  'exchange',
  'dataVendor',
  'period',
  'licence',
  'coverage',
] as const;
export const QualifierKey = z.enum(QUALIFIER_KEYS).meta({
  id: 'QualifierKey',
  description: 'The context a qualifier gives a value: ranking chart, store and country; ticker, exchange and data vendor; model and stage.',
});

export const CITATION_ROLES = ['primary', 'secondary'] as const;
export const CitationRole = z.enum(CITATION_ROLES).meta({
  id: 'CitationRole',
  description: '`primary`: the document the claim originates in or the record it rests on; `secondary`: a report of it.',
});

export const CITATION_STANCES = ['states', 'reports', 'supports', 'contradicts', 'contextualizes'] as const;
export const CitationStance = z.enum(CITATION_STANCES).meta({
  id: 'CitationStance',
  description:
    '`states`: the source is where the claimant makes the claim; `reports`: it relays the claim; `supports`/`contradicts`: ' +
    'it bears evidence for or against; `contextualizes`: it adds context without taking a side.',
});

export const SOURCE_TYPES = [
  'paper',
  'news_article',
  'analyst_report',
  'government_record',
  'press_release',
  'dataset',
  'web_page',
  'code_repository',
] as const;
export const SourceType = z.enum(SOURCE_TYPES).meta({ id: 'SourceType', description: 'What kind of document the source is.', examples: ['news_article'] });

export const SOURCE_EVIDENCE = ['original', 'republished_copy', 'secondary_summary'] as const;
export const SourceEvidence = z.enum(SOURCE_EVIDENCE).meta({
  id: 'SourceEvidence',
  description:
    'How the document was read: in the `original` (the publisher\'s own copy), in a `republished_copy` (syndicated or ' +
    'copied text whose wording matches; the publisher\'s own URL may be unconfirmed), or only through a `secondary_summary`.',
});

export const CAVEAT_KINDS = [
  'scope',
  'method',
  'assumption',
  'estimate',
  'attribution',
  'disagreement',
  'timing',
  'context',
  'unverified',
] as const;
export const CaveatKind = z.enum(CAVEAT_KINDS).meta({
  id: 'CaveatKind',
  description:
    'What the caveat qualifies: `scope` (what the figure covers and excludes), `method`, `assumption`, `estimate`, ' +
    '`attribution` (who really said it), `disagreement` (sources differ), `timing`, `context`, `unverified` (a lead ' +
    'that no document confirms: never to be read as fact).',
});

/** Relation types as stored: each edge is kept once, from the claim that holds the relation. */
export const RELATION_TYPES = ['supports', 'contradicts', 'contextualizes', 'aggregates', 'supersedes'] as const;
export const RelationType = z.enum(RELATION_TYPES).meta({
  id: 'RelationType',
  description: 'A relation from this claim to another. `aggregates`: this claim is the sum or union of the other (the inverse of part-of).',
});

/** Relation types as read: an edge seen from its target is named by its inverse. */
export const INVERSE_RELATION: Record<(typeof RELATION_TYPES)[number], string> = {
  supports: 'supported_by',
  contradicts: 'contradicted_by',
  contextualizes: 'contextualized_by',
  aggregates: 'part_of',
  supersedes: 'superseded_by',
};
export const RELATION_VIEW_TYPES = [
  ...RELATION_TYPES,
  'supported_by',
  'contradicted_by',
  'contextualized_by',
  'part_of',
  'superseded_by',
] as const;
export const RelationViewType = z.enum(RELATION_VIEW_TYPES).meta({
  id: 'RelationViewType',
  description: 'A relation as seen from this claim: the stored type for relations this claim holds, its inverse for relations held by the other claim.',
});

export const VERDICTS = ['accurate', 'accurate_with_caveats', 'misleading', 'unsupported', 'false', 'unassessed'] as const;
export const Verdict = z.enum(VERDICTS).meta({
  id: 'Verdict',
  description: "The service's reading of the claim as it was worded where it was collected.",
  examples: ['accurate_with_caveats'],
});

export const ENTITY_TYPES = [
  'organization',
  'government_agency',
  'person',
  'ai_model',
  'product',
  'app',
  'country',
] as const;
export const EntityType = z.enum(ENTITY_TYPES).meta({ id: 'EntityType', description: 'What sort of thing the entity is.', examples: ['organization'] });

export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;

/** What an API key may do: `editor` creates and changes records; `admin` may also retract claims. */
export const KEY_SCOPES = ['editor', 'admin'] as const;
export const KeyScope = z.enum(KEY_SCOPES).meta({ id: 'KeyScope' });
export type KeyScope = (typeof KEY_SCOPES)[number];

/** What a revision did to its record. */
export const REVISION_ACTIONS = ['create', 'update', 'retract'] as const;
export const RevisionAction = z.enum(REVISION_ACTIONS).meta({
  id: 'RevisionAction',
  description: '`create`: the record was created; `update`: it was replaced by an editor; `retract`: the claim was retracted.',
});
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

export const RESOURCE_TYPES = ['claim', 'source', 'entity'] as const;
export const ResourceType = z.enum(RESOURCE_TYPES).meta({ id: 'ResourceType' });
export type ResourceType = (typeof RESOURCE_TYPES)[number];
