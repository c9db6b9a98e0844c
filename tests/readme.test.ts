// The README's own examples, run against the seed: every plain GET it shows a newcomer answers as it says. A `curl`
// line's status must be 200 (4xx with a problem under "# Errors"); a comment that quotes a field of the answer
// ("match": "any", "asFilters":) must hold of the body; `| grep -i '^link'` must find that header.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PROBLEM_CONTENT_TYPE } from './helpers.js';

interface Example {
  line: number;
  url: string;
  headers: Record<string, string>;
  comment: string;
  header: string | undefined;
  error: boolean;
}

/** The README's GET examples that stand alone: no shell variables, no writes, nothing the tour created first. */
function examples(): Example[] {
  const found: Example[] = [];
  let error = false;
  readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (/^# /.test(text)) error = /^# Errors/.test(text);
      const m = /^curl -si? ((?:-H '[^']+' )*)'?(localhost:3000[^'\s]*)'?(.*)$/.exec(text);
      if (m === null || /\$|-X |acme-ai/.test(text)) return;
      const headers = Object.fromEntries([...m[1]!.matchAll(/-H '([^:]+): ([^']+)'/g)].map(([, name, value]) => [name!.toLowerCase(), value!]));
      const rest = m[3]!;
      found.push({ line: i + 1, url: m[2]!.slice('localhost:3000'.length), headers, comment: /#(.*)$/.exec(rest)?.[1] ?? '', header: /grep -i '\^([\w-]+)'/.exec(rest)?.[1], error });
    });
  return found;
}

describe('the README', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.app.close());

  const all = examples();
  it('shows a tour of GET examples to check', () => {
    expect(all.length).toBeGreaterThan(25);
    expect(all.filter((e) => e.error)).toHaveLength(1);
  });

  it.each(all.map((e) => [`line ${e.line}: ${e.url}`, e] as const))('%s answers as it says', async (_, example) => {
    const res = await ctx.app.inject({ url: example.url, headers: example.headers });
    if (example.error) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
      return;
    }
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    if (example.headers.accept !== undefined) expect(res.headers['content-type']).toContain(example.headers.accept);
    if (example.header !== undefined) expect(res.headers).toHaveProperty(example.header.toLowerCase());
    for (const [, field, value] of example.comment.matchAll(/"(\w+)":(?:\s*"([^"]*)")?/g)) {
      const body = res.json() as Record<string, unknown>;
      expect(body, `"${field}" in the answer`).toHaveProperty(field!);
      if (value !== undefined) expect(body[field!]).toBe(value);
    }
  });
});
