// An example body for each operation that creates a record or retracts a claim, shown in /docs and in the OpenAPI
// document (as the request body's `example`). They are typed by the operations' own schemas, and a test sends each
// one to a seeded service, so an example a client copies is one the service accepts. Their facts are the seed's
// research (the Reuters/LSEG figure for Nvidia's loss on 27 Jan 2025, the DeepSeek-R1 paper), not invented ones.
import type { z } from 'zod';
import type { ClaimCreate, RetractionRequest } from '../claims/claims.schemas.js';
import type { EntityCreate } from '../entities/entities.schemas.js';
import type { SourceCreate } from '../sources/sources.schemas.js';

const createClaim: z.input<typeof ClaimCreate> = {
  statement: 'Reuters, citing LSEG data, reported that Nvidia erased about $593 billion in stock market value on 27 Jan 2025.',
  kind: 'market_value_change',
  subjects: [{ id: 'nvidia' }],
  claimant: { id: 'reuters' },
  claimedOn: { date: '2025-01-27', precision: 'day' },
  factPeriod: { start: { date: '2025-01-27', precision: 'day' }, end: { date: '2025-01-27', precision: 'day' } },
  value: { comparator: 'approx', amount: '-593000000000', unit: 'USD', basis: '"about $593 billion" according to LSEG data; $592.7B unrounded.' },
  qualifiers: [
    { key: 'ticker', value: 'NVDA' },
    { key: 'dataVendor', value: 'LSEG' },
  ],
  caveats: [
    { kind: 'disagreement', text: 'Other vendors and outlets give $589B (Bloomberg) and $596B (IBD).' },
    { kind: 'scope', text: 'A market-capitalization change is a paper valuation change, not a realized loss.' },
  ],
  citations: [
    {
      source: { id: 'reuters-2025-01-27-market-report' },
      role: 'primary',
      stance: 'states',
      quote: 'erased about $593 billion in stock market value, the deepest ever one-day loss for a company on Wall Street, according to LSEG data.',
    },
  ],
  assessment: { verdict: 'accurate_with_caveats', explanation: 'A named-vendor figure; other vendors differ by a few billion dollars.' },
  reason: "Add Reuters' LSEG figure for Nvidia's loss on 27 Jan 2025",
};

const createSource: z.input<typeof SourceCreate> = {
  type: 'paper',
  title: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
  publisher: 'DeepSeek-AI',
  authors: ['DeepSeek-AI'],
  publishedOn: { date: '2025-01-20', precision: 'day' },
  url: 'https://github.com/deepseek-ai/DeepSeek-R1',
  identifiers: { arxivId: '2501.12948', gitCommit: '23807ce' },
  evidence: 'original',
  reason: 'The R1 paper, cited for its licence and training claims',
};

const createEntity: z.input<typeof EntityCreate> = {
  name: 'Microsoft',
  type: 'organization',
  aliases: ['Microsoft Corporation'],
  description: 'US technology company.',
  reason: 'Needed as the subject of a claim',
};

const retractClaim: z.input<typeof RetractionRequest> = {
  reason: 'Why the claim is withdrawn, as readers of the claim will see it',
};

/** By operationId. */
export const REQUEST_EXAMPLES: Record<string, unknown> = { createClaim, createSource, createEntity, retractClaim };
