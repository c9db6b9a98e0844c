// Response serialization compiled from the zod response schemas: zod -> JSON Schema -> fast-json-stringify,
// once per route and status at start-up. No zod parse runs per response; the schema still guards against
// leaking fields, since only declared properties are written.
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

type Json = Record<string, unknown>;

/**
 * Inlines `#/definitions/*` references and rewrites zod's `anyOf: [X, {type: 'null'}]` into X with
 * `nullable: true`, which fast-json-stringify writes directly instead of trying each branch with a validator.
 */
function simplify(node: unknown, definitions: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => simplify(n, definitions));
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Json;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/definitions/')) {
    const { $ref, ...rest } = schema;
    return simplify({ ...(definitions[$ref.slice('#/definitions/'.length)] as Json), ...rest }, definitions);
  }
  const anyOf = schema.anyOf as Json[] | undefined;
  if (anyOf && anyOf.length === 2 && anyOf.some((b) => b.type === 'null')) {
    const { anyOf: _, ...rest } = schema;
    const other = anyOf.find((b) => b.type !== 'null') as Json;
    return { ...(simplify(other, definitions) as Json), ...rest, nullable: true };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'definitions' || key === '$schema') continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, simplify(v, definitions)])) : simplify(value, definitions);
  }
  return out;
}

export function toSerializationSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Json;
  return simplify(json, (json.definitions as Json) ?? {}) as Json;
}

type Serializer = (data: unknown) => string;

// One compiled serializer per schema object: the Problem schema alone answers a dozen statuses on every route, and
// compiling it once instead of for each is a good part of start-up time.
const compiled = new WeakMap<object, Serializer>();

export function serializerCompiler({ schema }: { schema: unknown }): Serializer {
  const cached = compiled.get(schema as object);
  if (cached) return cached;
  const serializer = fastJson(
    (schema instanceof z.ZodType ? toSerializationSchema(schema) : schema) as Parameters<typeof fastJson>[0],
  ) as Serializer;
  compiled.set(schema as object, serializer);
  return serializer;
}
