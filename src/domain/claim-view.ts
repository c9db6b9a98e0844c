// The claim as the human and linked-data representations read it (HTML page, ClaimReview, citations): the
// Claim read shape, with the editorial fields (links, retraction) optional so that these renderers accept a
// claim from before those fields existed as well as after. Also where a claim's permalinks are derived.
import type { Claim } from '../claims/claims.schemas.js';

export interface ClaimRetraction {
  reason: string;
  retractedAt: string;
  supersededBy: string | null;
}

export type ClaimView = Omit<Claim, 'links' | 'retraction' | 'supersedes'> & {
  links?: { self: string; revision: string } | undefined;
  retraction?: ClaimRetraction | null | undefined;
  supersedes?: Claim['supersedes'] | undefined;
};

/** Where the representations are served from and whom they name as publisher. */
export interface PublishContext {
  /** Absolute origin the links are made from, without a trailing slash: "https://claims.example.org". */
  baseUrl: string;
  /** The service's name, as publisher of citations and author of reviews. */
  serviceName: string;
}

/** Human page of a claim, always current. */
export const claimPagePath = (id: string) => `/c/${encodeURIComponent(id)}`;

/** The claim's current URL in the API (relative). */
export const claimSelfPath = (claim: Pick<ClaimView, 'id' | 'links'>) => claim.links?.self ?? `/v1/claims/${encodeURIComponent(claim.id)}`;

/** Permalink of the exact revision shown (relative): what a citation must point at, since it never changes. */
export const claimRevisionPath = (claim: Pick<ClaimView, 'id' | 'revision' | 'links'>) =>
  claim.links?.revision ?? `/v1/claims/${encodeURIComponent(claim.id)}/revisions/${claim.revision}`;

export const absolute = (ctx: Pick<PublishContext, 'baseUrl'>, path: string) => `${ctx.baseUrl.replace(/\/+$/, '')}${path}`;
