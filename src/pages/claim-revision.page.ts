// A claim revision's permalink as a page for people. The permalink is what the claim page and every citation format
// give as the URL to cite, and a reader who followed one got JSON whose subjects, claimant and sources were ids and
// revision numbers. The page shows the claim as recorded then, with each entity, source and related claim as it was
// at the revision the claim pinned it to, so it never changes meaning whatever is renamed or retracted later.
import type { FastifyRequest } from 'fastify';
import type { ClaimRevision } from '../claims/claims.schemas.js';
import type { ClaimView } from '../domain/claim-view.js';
import type { ResourceType } from '../domain/vocabulary.js';
import { recordUrl, revisionUrl } from '../http/links.js';
import type { RevisionsRepository } from '../revisions/revisions.repository.js';
import { publishContext, renderClaimPageCached } from './pages.routes.js';

/** A record's snapshot at one revision (parsed), or null. */
export type SnapshotAt = (type: ResourceType, id: string, revision: number) => Record<string, unknown> | null;

/** The claim revision as the page renders claims: references replaced by what they were at their pinned revision. */
export function claimViewOfRevision(claim: ClaimRevision, at: SnapshotAt): ClaimView {
  // Every pin was taken from the history when the revision was read, so the snapshot is there; a missing one is a
  // broken history, and a page that quietly showed ids instead would hide it.
  const pinned = (type: ResourceType, ref: { id: string; revision: number }) => {
    const found = at(type, ref.id, ref.revision);
    if (found === null) throw new Error(`claim ${claim.id} revision ${claim.revision} pins ${type} ${ref.id} at revision ${ref.revision}, which is missing`);
    return found;
  };
  const entity = (ref: { id: string; revision: number }) => {
    const e = pinned('entity', ref) as { name: string; type: ClaimView['subjects'][number]['type'] };
    return { id: ref.id, name: e.name, type: e.type };
  };
  return {
    ...claim,
    subjects: claim.subjects.map(entity),
    claimant: claim.claimant && entity(claim.claimant),
    citations: claim.citations.map((c) => {
      const s = pinned('source', c.source) as ClaimView['citations'][number]['source'] & { evidence?: string };
      return { ...c, source: { id: c.source.id, type: s.type, title: s.title, publisher: s.publisher, publishedOn: s.publishedOn, url: s.url, evidence: s.evidence } };
    }),
    relations: claim.relations.map((r) => {
      const other = pinned('claim', r.claim) as { statement: string; retraction?: unknown };
      return { ...r, claim: { id: r.claim.id, statement: other.statement, retracted: other.retraction != null } };
    }),
    retraction: claim.retraction ?? null,
    links: { self: recordUrl('claim', claim.id), revision: revisionUrl('claim', claim.id, claim.revision) },
  } as ClaimView;
}

/** The page of a claim revision's permalink, from its pinned JSON. */
export function claimRevisionPage(revisions: RevisionsRepository, publishing: { serviceName?: string | undefined; baseUrl?: string | undefined }) {
  const at: SnapshotAt = (type, id, revision) => {
    const found = revisions.snapshot(type, id, revision);
    return found === null ? null : (JSON.parse(found.json) as Record<string, unknown>);
  };
  return (pinned: ClaimRevision, request: FastifyRequest): Promise<string> =>
    renderClaimPageCached(claimViewOfRevision(pinned, at), { ...publishContext(request, publishing), asRevision: true });
}
