/**
 * Response serialisation: each route's zod response contract is turned once, at start-up,
 * into a JSON schema and compiled by fast-json-stringify (Fastify's own serialiser), so
 * that an answer is written by generated code instead of being validated by zod and then
 * passed to JSON.stringify. Like zod's parse, the compiled serialiser writes only the
 * properties the contract declares.
 *
 * With `checkContracts` (the test suite turns it on), each answer is also encoded by the
 * zod contract as before, and the two outputs must be the same JSON: a response that breaks
 * its contract, or a contract the compiled serialiser reads differently, fails the request.
 */
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

type Serialize = (data: unknown) => string;

export class ResponseContractError extends Error {
  constructor(route: string, detail: string) {
    super(`The response of ${route} breaks its contract: ${detail}`);
    this.name = 'ResponseContractError';
  }
}

/**
 * The JSON schema fast-json-stringify compiles for a zod response contract. The serialiser
 * writes only the declared properties, and validates nothing, except where it must choose
 * between schemas (a nullable object or timestamp, a union): there it runs ajv on the value
 * against each branch. So, for that choice to go by shape alone:
 * - zod's `additionalProperties: false` is dropped: an object carrying more than its
 *   contract would match no branch and fail;
 * - `format` and `pattern` are dropped: checking a date-time or a uuid format to pick the
 *   branch of every nullable timestamp cost 1.6 % of a work-order page. Values are checked
 *   against the contracts by the suite (CHECK_RESPONSE_CONTRACTS), not when serialised.
 */
export function responseJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return forSerialising(z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    // A type JSON Schema cannot describe is written as JSON.stringify would write it.
    unrepresentable: 'any',
    // Shared schemas (`.meta({ id })`) become local definitions, referenced where used.
    reused: 'ref',
    cycles: 'ref',
  })) as Record<string, unknown>;
}

/** Keywords whose value is a map of names to schemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords whose value is a schema or a list of schemas. */
const SUBSCHEMAS = new Set(['items', 'prefixItems', 'additionalItems', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not', 'contains', 'if', 'then', 'else']);

function forSerialising(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialising);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    if ((key === 'format' || key === 'pattern') && typeof value === 'string') continue;
    if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, forSerialising(sub)]));
    } else out[key] = SUBSCHEMAS.has(key) ? forSerialising(value) : value;
  }
  return out;
}

export function compileSerializer(schema: z.ZodType, route: string, checkContracts: boolean): Serialize {
  const compiled = fastJson(responseJsonSchema(schema) as unknown as Parameters<typeof fastJson>[0]) as Serialize;
  if (!checkContracts) return compiled;
  return (data) => {
    const encoded = z.safeEncode(schema, data);
    if (!encoded.success) throw new ResponseContractError(route, z.prettifyError(encoded.error));
    const written = compiled(data);
    const expected = JSON.stringify(encoded.data);
    if (!isDeepStrictEqual(JSON.parse(written), JSON.parse(expected))) {
      throw new ResponseContractError(route, `the compiled serialiser wrote ${written.slice(0, 500)} where the contract gives ${expected.slice(0, 500)}`);
    }
    return written;
  };
}

/** Fastify's serializer compiler for zod response schemas. */
export function serializerCompiler(checkContracts: boolean) {
  return ({ schema, method, url }: { schema: unknown; method: string; url: string }): Serialize => {
    if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
    return compileSerializer(schema, `${method} ${url}`, checkContracts);
  };
}
