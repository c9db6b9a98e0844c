// OpenAPI 3.1, generated from the routes' zod schemas by @fastify/swagger, served at /openapi.json and browsable
// at /docs. The committed openapi/openapi.json is this document (scripts/openapi.ts; tests/openapi.test.ts).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ZodType } from 'zod';
import { PROBLEMS } from './problems.js';
import { EXEMPT_ROUTES } from './protection.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

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

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type ResponseMap = Record<string, Record<string, unknown>>;

/**
 * The zod transform only understands responses with zod `content`; it drops response headers and cannot read
 * a bodiless 304. Let it convert the zod parts, then put the headers and the bodiless entries back.
 */
function transform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  // An operation that needs no key says so (`security: []`) rather than leaving linters to guess; one without a
  // description of its own is described by its summary (Spectral's operation-description).
  const given = input.schema as { security?: unknown; summary?: string; description?: string } | undefined;
  if (given && (!given.security || !given.description))
    input = { ...input, schema: { ...given, security: given.security ?? [], description: given.description ?? given.summary } } as TransformInput;
  const response = (input.schema as { response?: ResponseMap } | undefined)?.response;
  if (!response) return keepParameterDescriptions(jsonSchemaTransform(input));
  // Media types described by a plain JSON schema (an HTML page beside the JSON) skip the zod conversion too.
  const plain: Record<string, Record<string, unknown>> = {};
  const withContent = Object.fromEntries(
    Object.entries(response)
      .filter(([, r]) => 'content' in r)
      .map(([status, r]) => {
        const content = r.content as Record<string, { schema?: unknown }>;
        const zodOnly: Record<string, unknown> = {};
        for (const [type, c] of Object.entries(content)) {
          if (c.schema instanceof ZodType) zodOnly[type] = c;
          else (plain[status] ??= {})[type] = c;
        }
        return [status, { ...r, content: zodOnly }];
      }),
  );
  const out = keepParameterDescriptions(jsonSchemaTransform({ ...input, schema: { ...input.schema, response: withContent } } as TransformInput));
  const converted = (out.schema as { response: ResponseMap }).response;
  for (const [status, r] of Object.entries(response)) {
    if (!('content' in r)) converted[status] = r;
    else {
      if (plain[status]) converted[status] = { ...converted[status], content: { ...(converted[status]?.content as object), ...plain[status] } };
      if (r.headers) converted[status] = { ...converted[status], headers: r.headers };
    }
  }
  return out;
}

type JsonSchema = Record<string, unknown>;

/**
 * @fastify/swagger deletes whatever stands beside a `$ref` (OpenAPI 3.0's rule), so a parameter whose schema is a
 * named component (`subject: Slug.describe('Only claims about this entity.')`) lost its description and examples.
 * Wrapped in `allOf` they survive to become the parameter's; documentParameters unwraps the schema again.
 */
function keepParameterDescriptions(out: ReturnType<typeof jsonSchemaTransform>): ReturnType<typeof jsonSchemaTransform> {
  const schema = out.schema as Record<string, { properties?: Record<string, JsonSchema> } | undefined>;
  for (const part of ['querystring', 'params', 'headers'] as const) {
    const properties = schema[part]?.properties;
    if (!properties) continue;
    for (const [name, property] of Object.entries(properties)) {
      const { $ref, ...beside } = property;
      if (typeof $ref === 'string' && Object.keys(beside).length > 0) properties[name] = { allOf: [{ $ref }], ...beside };
    }
  }
  return out;
}

/**
 * Every parameter says what it is for and gives an example, in the parameter itself where client generators and
 * /docs look: one whose schema is a named component (an id, a kind, a decimal) borrows the component's description
 * and examples when it has none of its own, and its schema is the plain `$ref` again.
 */
function documentParameters(doc: Doc): Doc {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, JsonSchema>;
  for (const operations of Object.values((doc.paths ?? {}) as Record<string, Record<string, { parameters?: JsonSchema[] }>>)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        let schema = parameter.schema as JsonSchema | undefined;
        const wrapped = schema?.allOf as JsonSchema[] | undefined;
        if (wrapped?.length === 1 && typeof wrapped[0]!.$ref === 'string') {
          const { allOf: _, description: __, examples: ___, ...rest } = schema!;
          schema = parameter.schema = { ...wrapped[0], ...rest };
        }
        const ref = typeof schema?.$ref === 'string' ? schemas[schema.$ref.split('/').pop()!] : undefined;
        if (!ref) continue;
        if (parameter.description === undefined && typeof ref.description === 'string') parameter.description = ref.description;
        const examples = ref.examples as unknown[] | undefined;
        if (parameter.example === undefined && parameter.examples === undefined && examples?.length) parameter.example = examples[0];
      }
    }
  }
  return doc;
}

/** The example body of each operation that has one (request-examples.ts), where /docs and generators look for it. */
function documentRequestExamples(doc: Doc): Doc {
  for (const operations of Object.values((doc.paths ?? {}) as Record<string, Record<string, { operationId?: string; requestBody?: { content?: Record<string, JsonSchema> } }>>))
    for (const operation of Object.values(operations)) {
      const media = operation.requestBody?.content?.['application/json'];
      const example = operation.operationId === undefined ? undefined : REQUEST_EXAMPLES[operation.operationId];
      if (media && example !== undefined) media.example = example;
    }
  return doc;
}

const RATE_HEADERS = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per window in the budget this request was counted against.' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in the current window.' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window resets.' },
};
const REQUEST_ID_HEADER = {
  'X-Request-Id': { schema: { type: 'string' }, description: "This request's id, as in the logs (the caller's X-Request-Id when it is a sane one)." },
};
const LINK_HEADER = {
  Link: { schema: { type: 'string' }, description: 'The next page, `<url>; rel="next"`, while more items are waiting (the same URL as `links.next`).' },
};

/**
 * What every operation shares, said once here rather than on each route: the headers every answer carries (a
 * request id; the rate budget, except on the exempt routes), the next-page Link on paged lists, and If-Match
 * marked required where the service answers 428 without it.
 */
function documentCommonHeaders(doc: Doc): Doc {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, { properties?: Record<string, unknown> }>;
  const paged = (response: { content?: Record<string, { schema?: { $ref?: string } }> }) => {
    const ref = response.content?.['application/json']?.schema?.$ref;
    return ref !== undefined && 'nextCursor' in (schemas[ref.split('/').pop()!]?.properties ?? {});
  };
  for (const [path, operations] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation.parameters ?? []) as { in: string; name: string; required?: boolean }[])
        if (parameter.in === 'header' && parameter.name.toLowerCase() === 'if-match') parameter.required = true;
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Record<string, unknown>>)) {
        response.headers = {
          ...(response.headers as object),
          ...REQUEST_ID_HEADER,
          ...(EXEMPT_ROUTES.has(path) ? {} : RATE_HEADERS),
          ...(status === '200' && paged(response) ? LINK_HEADER : {}),
        };
      }
    }
  }
  return doc;
}

/** The name of the security scheme every write operation lists (the auth plugin adds it to the routes). */
export const SECURITY_SCHEME = 'apiKey';

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
          'Reading needs no key. Writes need `Authorization: Bearer <API key>` (scope `editor`; retraction `admin`) and ' +
          'a `reason` (edit summary) in the body; each is recorded as a revision with a permanent URL. Changes use PUT ' +
          'with the whole record and If-Match (428 without it, 412 when stale); GETs carry a strong ETag and answer ' +
          'If-None-Match with 304. The POSTs that create a record accept an Idempotency-Key, so a retry gets the first ' +
          'answer; a retraction is conditional on If-Match instead, and an import is one transaction: after a lost answer, ' +
          '`GET /v1/changes` tells whether it took effect. `GET /v1/changes` lists every change in commit order. Every ' +
          'answer counted against a rate budget carries it: RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset (a ' +
          'request refused before it is counted, for its size or while the service sheds load, carries none). ' +
          'Every GET also answers HEAD. Before any operation is known the server may answer 405 (the path exists ' +
          'under other methods, listed in `Allow`), 408 (the request took longer than 30 s to arrive) or 431 (headers ' +
          'over 16 KiB), as problem+json like every other refusal.\n\n' +
          'Errors are `application/problem+json` (RFC 9457) with a stable `code`:\n\n' +
          '| code | status | meaning |\n|---|---|---|\n' +
          problemTable,
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'claims-api maintainers' },
      },
      components: {
        securitySchemes: {
          [SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'cak_<43 base64url characters>',
            description:
              'An API key, created with `npm run keys -- create --name <name> --scope editor|admin` and shown once. ' +
              'Reading needs no key. `editor` may create and change claims, sources and entities; `admin` may also retract claims.',
          },
        },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: [
        { name: 'claims', description: 'Claims with their values, sources, caveats and assessments.' },
        { name: 'sources', description: 'Documents that claims are cited from.' },
        { name: 'entities', description: 'Who and what claims are about, and who makes them.' },
        { name: 'changes', description: 'Every create, update and retraction, in commit order, for services that mirror the data.' },
        { name: 'exchange', description: 'Bulk export (NDJSON, CSV) and all-or-nothing import (NDJSON) of claims, sources and entities.' },
        { name: 'pages', description: 'HTML pages for people: the front page and a page per claim.' },
        { name: 'operations', description: 'Liveness, readiness and the API description.' },
      ],
    },
    transform,
    transformObject: (doc) => documentCommonHeaders(documentRequestExamples(documentParameters(pruneUnusedComponents(jsonSchemaTransformObject(doc))))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
