// OpenAPI 3.1, generated from the routes' zod schemas by @fastify/swagger, served at /openapi.json and browsable
// at /docs. The committed openapi/openapi.json is this document (scripts/openapi.ts; tests/openapi.test.ts).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { PROBLEMS } from './problems.js';

type Doc = ReturnType<typeof jsonSchemaTransformObject> & { components?: { schemas?: Record<string, unknown> } };

/** Every registered schema yields an input and an output component; keep only those the paths use. */
function pruneUnusedComponents(doc: Doc): Doc {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(v);
    }
  };
  visit(doc.paths);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)).sort(([a], [b]) => a.localeCompare(b)));
  return { ...doc, components: { ...doc.components, schemas: kept } } as Doc;
}

const problemTable = Object.entries(PROBLEMS)
  .map(([code, p]) => `| \`${code}\` | ${p.status} | ${p.description} |`)
  .join('\n');

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'claims-api',
        version,
        description:
          'Structured, sourced claims for fact-checkers and data journalists. Every claim carries a typed value ' +
          '(exact decimal amount, unit, comparator), dates with their precision, its subjects and claimant, its ' +
          'sources with exact quotes and locators, its caveats, its relations to other claims and an assessment.\n\n' +
          'Errors are `application/problem+json` (RFC 9457) with a stable `code`:\n\n' +
          '| code | status | meaning |\n|---|---|---|\n' +
          problemTable,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: [
        { name: 'claims', description: 'Claims with their values, sources, caveats and assessments.' },
        { name: 'sources', description: 'Documents that claims are cited from.' },
        { name: 'entities', description: 'Who and what claims are about, and who makes them.' },
        { name: 'operations', description: 'Liveness, readiness and the API description.' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (doc) => pruneUnusedComponents(jsonSchemaTransformObject(doc)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
