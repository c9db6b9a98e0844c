// Content negotiation on Accept (RFC 9110 section 12.5.1): picks, among the media types a route can produce, the
// one the client prefers. Quality values decide; a more specific range (text/html) overrides a wider one
// (text/*, */*) for the types it covers; ties go to the server's order, so the first offer is the default for
// clients that accept anything (curl's */*) or send no Accept at all.

interface Range {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): Range[] {
  return header
    .split(',')
    .map((part) => {
      const [mediaRange = '', ...params] = part.trim().split(';');
      const [type = '', subtype = ''] = mediaRange.trim().toLowerCase().split('/');
      const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { type, subtype, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
    })
    .filter((r) => r.type !== '' && r.subtype !== '');
}

/** The quality the client gives `offer`: from its most specific matching range, 0 when none matches. */
function qualityOf(offer: string, ranges: Range[]): number {
  const [type, subtype] = offer.toLowerCase().split('/');
  let best: { specificity: number; q: number } | null = null;
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity < 0) continue;
    if (best === null || specificity > best.specificity) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/** The offer to serve, or null when the client accepts none of them (answer 406). */
export function negotiate<T extends string>(accept: string | undefined, offers: readonly T[]): T | null {
  if (accept === undefined || accept.trim() === '') return offers[0] ?? null;
  const ranges = parseAccept(accept);
  let chosen: T | null = null;
  let chosenQ = 0;
  for (const offer of offers) {
    const q = qualityOf(offer, ranges);
    if (q > chosenQ) {
      chosen = offer;
      chosenQ = q;
    }
  }
  return chosen;
}
