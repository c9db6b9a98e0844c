// The order an import writes claims in (import.ts): each after the claims it relates to, and each retraction while
// the claim that supersedes it still stands.
import type { ExchangeLine } from './exchange.schemas.js';

/** A claim line of an import file, with its line number and its id. */
export type ClaimLine = Extract<ExchangeLine, { type: 'claim' }> & { line: number; id: string };

/** Claims in an order where each comes after the claims it relates to; relations closing a cycle are deferred. */
export function claimOrder(claims: ClaimLine[]): { order: ClaimLine[]; deferred: Map<string, Set<number>> } {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: ClaimLine[] = [];
  const deferred = new Map<string, Set<number>>();
  // Iterative depth-first search: a file of a million chained claims must not overflow the stack.
  for (const root of claims) {
    if (state.has(root.id)) continue;
    const stack: { claim: ClaimLine; next: number }[] = [{ claim: root, next: 0 }];
    state.set(root.id, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const relations = top.claim.record.relations;
      if (top.next < relations.length) {
        const index = top.next++;
        const target = byId.get(relations[index]!.claim.id);
        if (target === undefined) continue; // in the database already
        const s = state.get(target.id);
        if (s === 'visiting') {
          const set = deferred.get(top.claim.id) ?? new Set<number>();
          set.add(index);
          deferred.set(top.claim.id, set);
        } else if (s === undefined) {
          state.set(target.id, 'visiting');
          stack.push({ claim: target, next: 0 });
        }
      } else {
        stack.pop();
        state.set(top.claim.id, 'done');
        order.push(top.claim);
      }
    }
  }
  return { order, deferred };
}

/**
 * The retracted claims in the order they can be retracted: each before the claim that supersedes it, while that one
 * still stands (a claim can only be superseded by one that is not retracted). In the database they came from they
 * were retracted in that order, so chains (A by B, then B by C) go A, B, C. A claim's depth is how many claims of
 * the file follow it in its chain; deepest first.
 */
export function retractionOrder(claims: ClaimLine[]): ClaimLine[] {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const depth = new Map<string, number>();
  for (const start of claims) {
    const chain: ClaimLine[] = [];
    const seen = new Set<string>();
    let at: ClaimLine | undefined = start;
    while (at !== undefined && !depth.has(at.id) && !seen.has(at.id)) {
      seen.add(at.id);
      chain.push(at);
      const by: string | null | undefined = at.retraction?.supersededBy;
      at = by ? byId.get(by) : undefined;
    }
    // A chain that closes on itself (written before the rule) gets no order: its last retraction will be refused.
    let d = at === undefined || seen.has(at.id) ? 0 : depth.get(at.id)! + 1;
    for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i]!.id, d++);
  }
  return [...claims].sort((a, b) => depth.get(b.id)! - depth.get(a.id)!);
}
