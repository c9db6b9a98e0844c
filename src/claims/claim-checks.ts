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

/**
 * An issue at each item whose key an earlier item had: the very same thing listed twice is a slip, shown twice on the
 * page. `path` is where the issue points within the item.
 */
function refuseRepeats<T>(items: T[], field: string, key: (item: T) => string, message: (item: T) => string, ctx: z.RefinementCtx, path: (string | number)[] = []) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [field, i, ...path], message: message(item) });
    seen.add(k);
  });
}

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
  refuseRepeats(c.subjects, 'subjects', (s) => s.id, (s) => `"${s.id}" is listed twice`, ctx, ['id']);
  // The same source may be cited twice for different quotes or places; the very same citation twice is a slip.
  refuseRepeats(
    c.citations,
    'citations',
    ({ source, role, stance, quote, locator: l }) => JSON.stringify([source.id, role, stance, quote, l && [l.section, l.page, l.table, l.note]]),
    () => 'This citation is listed twice',
    ctx,
  );
  // A key may have several values (two countries), but not the same one twice. Compared as stored, so only exact
  // repeats are refused.
  refuseRepeats(c.qualifiers, 'qualifiers', (q) => JSON.stringify([q.key, q.value]), (q) => `${q.key} "${q.value}" is listed twice`, ctx);
  refuseRepeats(c.caveats, 'caveats', (k) => JSON.stringify([k.kind, k.text]), () => 'This caveat is listed twice', ctx);
  refuseRepeats(c.relations, 'relations', (r) => `${r.type} ${r.claim.id}`, () => 'This relation is listed twice', ctx);
  c.relations.forEach((r, i) => {
    if (c.id !== undefined && r.claim.id === c.id)
      ctx.addIssue({ code: 'custom', path: ['relations', i, 'claim', 'id'], message: 'A claim cannot relate to itself' });
  });
}
