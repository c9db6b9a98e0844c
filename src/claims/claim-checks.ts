// Checks of a whole claim as written, beyond each field's own: what zod cannot see field by field (an item listed
// twice, a claim related to itself). claims.schemas.ts runs them on every write shape.
import type { z } from 'zod';

/** The parts of a citation that make it the same citation. */
type CitationKey = {
  source: { id: string };
  role: string;
  stance: string;
  quote: string | null;
  locator: { section: string | null; page: string | null; table: string | null; note: string | null } | null;
};

/** Whole-claim checks: no subject, citation, relation, qualifier or caveat twice, no relation to the claim itself. */
export function checkClaim(
  c: {
    id?: string | undefined;
    qualifiers: { key: string; value: string }[];
    caveats: { kind: string; text: string }[];
    subjects: { id: string }[];
    citations: CitationKey[];
    relations: { type: string; claim: { id: string } }[];
  },
  ctx: z.RefinementCtx,
) {
  const seen = new Set<string>();
  c.subjects.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['subjects', i, 'id'], message: `"${s.id}" is listed twice` });
    seen.add(s.id);
  });
  // The same source may be cited twice for different quotes or places; the very same citation twice is a slip.
  const citations = new Set<string>();
  c.citations.forEach((ci, i) => {
    const l = ci.locator;
    const key = JSON.stringify([ci.source.id, ci.role, ci.stance, ci.quote, l && [l.section, l.page, l.table, l.note]]);
    if (citations.has(key)) ctx.addIssue({ code: 'custom', path: ['citations', i], message: 'This citation is listed twice' });
    citations.add(key);
  });
  // A key may have several values (two countries); the same key and value twice is a slip, shown twice on the page,
  // as is the same caveat twice. Compared as stored, so only exact repeats are refused.
  const qualifiers = new Set<string>();
  c.qualifiers.forEach((q, i) => {
    const key = JSON.stringify([q.key, q.value]);
    if (qualifiers.has(key)) ctx.addIssue({ code: 'custom', path: ['qualifiers', i], message: `${q.key} "${q.value}" is listed twice` });
    qualifiers.add(key);
  });
  const caveats = new Set<string>();
  c.caveats.forEach((k, i) => {
    const key = JSON.stringify([k.kind, k.text]);
    if (caveats.has(key)) ctx.addIssue({ code: 'custom', path: ['caveats', i], message: 'This caveat is listed twice' });
    caveats.add(key);
  });
  const edges = new Set<string>();
  c.relations.forEach((r, i) => {
    if (c.id !== undefined && r.claim.id === c.id)
      ctx.addIssue({ code: 'custom', path: ['relations', i, 'claim', 'id'], message: 'A claim cannot relate to itself' });
    const edge = `${r.type} ${r.claim.id}`;
    if (edges.has(edge)) ctx.addIssue({ code: 'custom', path: ['relations', i], message: 'This relation is listed twice' });
    edges.add(edge);
  });
}
