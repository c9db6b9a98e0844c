// Response serialization compiled from the zod response schemas: zod -> JSON Schema -> fast-json-stringify,
// once per schema, on first use. No zod parse runs per response; the schema still guards against
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

function compile(schema: unknown): Serializer {
  return fastJson((schema instanceof z.ZodType ? toSerializationSchema(schema) : schema) as Parameters<typeof fastJson>[0]) as Serializer;
}

// One serializer per schema object: the Problem schema alone answers a dozen statuses on every route, and compiling
// it once instead of for each is a good part of start-up time. Each is compiled when first used, not at start-up:
// compiling all of them (about 40 ms) was the largest part of the time from spawn to the first answer. The server
// compiles the rest right after it starts listening (compilePendingSerializers), a few at a time.
const serializers = new WeakMap<object, Serializer>();
const pending = new Set<() => void>();

export function serializerCompiler({ schema }: { schema: unknown }): Serializer {
  const known = serializers.get(schema as object);
  if (known) return known;
  let compiled: Serializer | undefined;
  const force = () => {
    pending.delete(force);
    return (compiled ??= compile(schema));
  };
  pending.add(force);
  const serializer: Serializer = (data) => (compiled ?? force())(data);
  serializers.set(schema as object, serializer);
  return serializer;
}

/**
 * Compiles every serializer not yet used, one per macrotask so that requests are not held up behind them, and
 * resolves when none is left. A schema fast-json-stringify cannot compile throws here (tests call this), not on
 * the first response that needs it.
 */
export async function compilePendingSerializers(): Promise<number> {
  let count = 0;
  for (const force of pending) {
    force();
    count++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return count;
}
