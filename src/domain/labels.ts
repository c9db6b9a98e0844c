// Human wording for the controlled vocabularies, shared by the HTML pages, the ClaimReview JSON-LD and the
// citations, so that a verdict reads the same wherever a person meets it. Typed against the vocabularies:
// adding a value to a vocabulary without a label here is a type error.
import type {
  CAVEAT_KINDS,
  CITATION_ROLES,
  CITATION_STANCES,
  CLAIM_KINDS,
  ENTITY_TYPES,
  RELATION_VIEW_TYPES,
  SOURCE_EVIDENCE,
  SOURCE_TYPES,
  VERDICTS,
} from './vocabulary.js';

type Labels<T extends readonly string[]> = Record<T[number], string>;

export const VERDICT_LABELS: Labels<typeof VERDICTS> = {
  accurate: 'Accurate',
  accurate_with_caveats: 'Accurate, with caveats',
  misleading: 'Misleading',
  unsupported: 'Unsupported',
  false: 'False',
  unassessed: 'Not yet assessed',
};

export const CAVEAT_LABELS: Labels<typeof CAVEAT_KINDS> = {
  scope: 'Scope',
  method: 'Method',
  assumption: 'Assumption',
  estimate: 'Estimate',
  attribution: 'Attribution',
  disagreement: 'Sources disagree',
  timing: 'Timing',
  context: 'Context',
  unverified: 'Unverified',
};

export const CLAIM_KIND_LABELS: Labels<typeof CLAIM_KINDS> = {
  cost_figure: 'Cost figure',
  spend_estimate: 'Spending estimate',
  download_ranking: 'Download ranking',
  market_value_change: 'Market value change',
  policy_action: 'Policy action',
  forecast: 'Forecast',
  quote: 'Quote',
  licence: 'Licence',
  quantity: 'Quantity',
};

export const ROLE_LABELS: Labels<typeof CITATION_ROLES> = { primary: 'Primary source', secondary: 'Secondary source' };

export const STANCE_LABELS: Labels<typeof CITATION_STANCES> = {
  states: 'makes the claim',
  reports: 'reports the claim',
  supports: 'supports it',
  contradicts: 'contradicts it',
  contextualizes: 'gives context',
};

export const RELATION_LABELS: Labels<typeof RELATION_VIEW_TYPES> = {
  supports: 'Supports',
  contradicts: 'Contradicts',
  contextualizes: 'Gives context to',
  aggregates: 'Sums up',
  supersedes: 'Supersedes',
  supported_by: 'Supported by',
  contradicted_by: 'Contradicted by',
  contextualized_by: 'Given context by',
  part_of: 'Part of',
  superseded_by: 'Superseded by',
};

export const ENTITY_TYPE_LABELS: Labels<typeof ENTITY_TYPES> = {
  organization: 'organization',
  government_agency: 'government agency',
  person: 'person',
  ai_model: 'AI model',
  product: 'product',
  app: 'app',
  country: 'country',
};

export const SOURCE_TYPE_LABELS: Labels<typeof SOURCE_TYPES> = {
  paper: 'Paper',
  news_article: 'News article',
  analyst_report: 'Analyst report',
  government_record: 'Government record',
  press_release: 'Press release',
  dataset: 'Dataset',
  web_page: 'Web page',
  code_repository: 'Code repository',
};

export const EVIDENCE_LABELS: Labels<typeof SOURCE_EVIDENCE> = {
  original: 'read in the original',
  republished_copy: 'read in a republished copy',
  secondary_summary: 'known only through a summary',
};

/** "a claim", "an entity": the indefinite article each of our nouns takes. */
export const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

export const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
