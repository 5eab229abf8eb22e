import fc from 'fast-check';

/**
 * Request generators for the API fuzz test (tests/api/fuzz.int.test.ts): fast-check
 * arbitraries built from the OpenAPI document's JSON schemas. Each value is mostly valid
 * (so that requests reach the services and the database) with, at any level, a hostile
 * value now and then: NUL, huge or odd Unicode strings, wrong types, deep nesting,
 * out-of-range numbers and dates, malformed UUIDs and forged keyset cursors.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  const?: unknown;
};

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Known ids (and other real values) by the name of the field or parameter that carries them. */
export type Pools = Record<string, readonly string[]>;

export interface GeneratorContext {
  doc: OpenApiDocument;
  /** Real values for a field name (e.g. `siteId`), so that requests reach deep code. */
  pools: Pools;
}

const NUL = '\u0000';

/** Dates PostgreSQL or JavaScript cannot hold, or that no calendar has. */
export const HOSTILE_DATES = [
  '0000-01-01', '0001-01-01', '1899-12-31', '9999-12-31', '2026-02-30', '2026-13-01', '+275760-09-13',
  '-001000-01-01', '20261130', '2026-11-30T25:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00',
  '1970-01-01T00:00:00.0000000001Z', '2026-11-30T10:00:00+24:00', 'infinity', '-infinity', 'epoch', 'now',
];

export const HOSTILE_UUIDS = [
  'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', `00000000-0000-4000-8000-00000000000${NUL}`, '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000', '../../etc/passwd', '%00',
];

const hostileStrings: fc.Arbitrary<string> = fc.oneof(
  fc.string().map((s) => `${s}${NUL}${s}`),
  fc.constantFrom(
    NUL, `a${NUL}`, '\uD800', '\uDFFF\uD800', '\u202Eevil', '\u200B', '\uFEFF', 'Ω≈ç√∫˜µ≤≥÷', '𝕳𝖊𝖑𝖑𝖔 👩‍🔧🧑🏽‍⚕️', 'ﷺ', 'Łukasz 李 عربي',
    "' OR 1=1 --", '%', '_', '\\', '%00', '${x}', '<script>alert(1)</script>', '=SUM(1+1)', ' ', '', '\r\n', '\t',
    'x'.repeat(10_001), 'é'.repeat(70_000),
  ),
  fc.constantFrom(...HOSTILE_DATES, ...HOSTILE_UUIDS),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const hostileNumbers = fc.constantFrom(
  -1, 0, 1.5, -0.000001, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, -(2 ** 63), 1e21, 1e308, -1e308, Number.MIN_VALUE,
);

/** A deeply nested array or object, as a JSON text would carry it. */
const deepNesting = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

/** Any hostile value, whatever the schema expects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileStrings, weight: 4 },
  { arbitrary: hostileNumbers, weight: 2 },
  { arbitrary: fc.constantFrom(true, false, null, [], {}, [null], JSON.parse('{"__proto__":1}') as unknown, { constructor: { prototype: {} } }), weight: 2 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/** A keyset cursor as a forger writes one: base64url JSON of any shape, or not even that. */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .oneof(
      { arbitrary: fc.array(
        fc.oneof(
          fc.string(), fc.integer(), fc.integer({ min: 0, max: 3 }), fc.double(), fc.constant(null), fc.boolean(), fc.uuid(), hostileStrings,
          fc.constantFrom(...HOSTILE_DATES, '2026-13-45 99:99:99+00', '0000-01-01 00:00:00+00', '2026-11-30 10:00:00.123456+01'),
          fc.constant(1e308), fc.constant([]), fc.constant({}),
        ),
        { minLength: 1, maxLength: 4 },
      ), weight: 4 },
      { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    )
    .map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
  fc.constantFrom('', '!!!', '%', 'W10', 'e30', 'bnVsbA', 'x'.repeat(500)),
  fc.string({ maxLength: 40 }),
);

function resolve(ctx: GeneratorContext, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = ctx.doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true });

/** A real cursor with one element of its key replaced: a forger's first try. */
function tamperedCursor(real: readonly string[]): fc.Arbitrary<string> {
  const element = fc.oneof(
    fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.uuid(), hostileStrings,
    fc.constantFrom(...HOSTILE_DATES, '2026-13-45 99:99:99+00', '0000-01-01 00:00:00+00', '2026-11-30 10:00:00.123456+01', -1, 4, 2 ** 53),
  );
  return fc.tuple(fc.constantFrom(...real), fc.nat(), element).map(([cursor, at, value]) => {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    key[at % key.length] = value;
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  });
}

/**
 * How hostile a request is: `0`, a clean request (valid-looking values only, to reach the
 * services and the database); `n`, a hostile value in place of about 1 in `n` values.
 */
type Hostility = number;

function stringArb(schema: JsonSchema, name: string, ctx: GeneratorContext, hostility: Hostility): fc.Arbitrary<string> {
  // Path and query parameters are named `<resource>:<name>` (e.g. `sites:id`), body fields by their name.
  const pool = ctx.pools[name] ?? ctx.pools[name.split(':').pop()!];
  const choices: fc.WeightedArbitrary<string>[] = [];
  const hostile = (arbitrary: fc.Arbitrary<string>, weight: number) => {
    if (hostility > 0) choices.push({ arbitrary, weight });
  };
  if (pool && pool.length > 0) choices.push({ arbitrary: fc.constantFrom(...pool), weight: 6 });
  // Clean requests take real values where there are some (ids, cursors, filters).
  if (hostility === 0 && pool && pool.length > 0) return fc.constantFrom(...pool);
  if (name.endsWith('cursor')) {
    hostile(forgedCursor, 4);
    if (pool && pool.length > 0) hostile(tamperedCursor(pool), 8);
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 200);
  switch (schema.format) {
    case 'uuid':
      choices.push({ arbitrary: fc.uuid({ version: 4 }), weight: 2 });
      hostile(fc.constantFrom(...HOSTILE_UUIDS), 1);
      break;
    case 'date':
      choices.push({ arbitrary: isoDate.map((d) => d.toISOString().slice(0, 10)), weight: 3 });
      hostile(fc.constantFrom(...HOSTILE_DATES), 1);
      break;
    case 'date-time':
      choices.push({ arbitrary: isoDate.map((d) => d.toISOString()), weight: 3 });
      hostile(fc.constantFrom(...HOSTILE_DATES), 1);
      break;
    case 'email':
      choices.push({ arbitrary: fc.emailAddress(), weight: 2 });
      break;
    case 'uri':
      choices.push({ arbitrary: fc.webUrl(), weight: 2 });
      break;
    default:
      if (schema.pattern) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(schema.pattern, 'u');
        } catch {
          re = undefined;
        }
        if (re) choices.push({ arbitrary: fc.stringMatching(re, { size: 'small' }), weight: 3 });
      }
      choices.push({ arbitrary: fc.string({ minLength: Math.max(minLength, 1), maxLength, unit: 'grapheme' }), weight: 2 });
      hostile(fc.string({ minLength, maxLength }), 1);
  }
  return choices.length > 0 ? fc.oneof(...choices) : fc.string();
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -1_000_000, -Number.MAX_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
  const edges = fc.constantFrom(min, max, Math.min(max, Math.max(min, 0)));
  const inRange = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(inRange, edges);
}

/** A value of the schema's shape; with `hostility` n > 0, a hostile value instead 1 time in n, at any level. */
export function valueOf(ctx: GeneratorContext, raw: JsonSchema, name: string, hostility: Hostility): fc.Arbitrary<unknown> {
  const valid = validValueOf(ctx, raw, name, hostility);
  return hostility > 0 ? fc.oneof({ arbitrary: valid, weight: hostility - 1 }, { arbitrary: hostileValue, weight: 1 }) : valid;
}

function validValueOf(ctx: GeneratorContext, raw: JsonSchema, name: string, hostility: Hostility): fc.Arbitrary<unknown> {
  const schema = resolve(ctx, raw);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validValueOf(ctx, s, name, hostility)));
  if (schema.allOf) return validValueOf(ctx, Object.assign({}, ...schema.allOf.map((s) => resolve(ctx, s))), name, hostility);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => validValueOf(ctx, { ...schema, type: t }, name, hostility)));
  switch (type[0] ?? (schema.properties ? 'object' : undefined)) {
    case 'string':
      return stringArb(schema, name, ctx, hostility);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.items ? valueOf(ctx, schema.items, singular(name), hostility) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object':
      return objectOf(ctx, schema, hostility);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** `assigneeIds` → `assigneeId`, to find the pool of an array's items. */
function singular(name: string) {
  return name.endsWith('Ids') ? name.slice(0, -1) : name;
}

function objectOf(ctx: GeneratorContext, schema: JsonSchema, hostility: Hostility): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, s] of Object.entries(props)) model[key] = valueOf(ctx, s, key, hostility);
  const known = Object.keys(props);
  const fixed = fc.record(model, { requiredKeys: known.filter((k) => required.has(k)) });
  // Free-form maps (e.g. an import's column mapping) and, in hostile requests, unexpected extra properties.
  const extraKeys =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(
          schema.propertyNames ? (validValueOf(ctx, schema.propertyNames, '', hostility) as fc.Arbitrary<string>) : fc.string(),
          valueOf(ctx, schema.additionalProperties, '', hostility),
          { maxKeys: 5 },
        )
      : hostility > 0
        ? fc.oneof(
            { arbitrary: fc.constant({}), weight: 8 },
            { arbitrary: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'id', 'territoryId', 'version', NUL)), hostileValue, { maxKeys: 3 }), weight: 1 },
          )
        : fc.constant({});
  return fc.tuple(fixed, extraKeys).map(([a, b]) => ({ ...b, ...a }));
}

/**
 * Percent-encodes a parameter as UTF-8 bytes; unlike encodeURIComponent it never throws
 * (a lone surrogate becomes U+FFFD, as a browser would send it).
 */
export function encodeParam(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query or path parameter's value as text. */
export function asParameterText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Form-data with the given text fields and one file, as a browser would send it. */
export function multipartBody(fields: Record<string, string>, file: { name: string; type: string; data: Buffer } | null) {
  const boundary = `----fuzz${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Form-data bodies: valid-looking files; in hostile requests, odd names and contents, broken framing. */
function multipartArb(ctx: GeneratorContext, schema: JsonSchema, clean: boolean): fc.Arbitrary<{ payload: Buffer | string; contentType: string }> {
  const hostility = clean ? 0 : 6;
  const props = resolve(ctx, schema).properties ?? {};
  const textFields = Object.keys(props).filter((k) => k !== 'file');
  const fieldValues = fc.record(
    Object.fromEntries(textFields.map((k) => [k, valueOf(ctx, props[k]!, k, hostility).map(asParameterText)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const csvCell = clean ? fc.string({ maxLength: 20 }) : fc.oneof(fc.string({ maxLength: 20 }), hostileStrings.map((s) => s.slice(0, 200)));
  const csv = fc
    .array(fc.array(csvCell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 4 })
    .map((rows) => Buffer.from(['Numéro d’inventaire;Site;Catégorie;Fabricant;Modèle', ...rows.map((r) => r.join(';').replaceAll('\u0000', ''))].join('\r\n')));
  const names = fc.constantFrom('photo.png', 'inventaire.csv', 'inventaire.xlsx', 'rapport.pdf');
  const file = fc.record({
    name: clean ? names : fc.oneof(names, fc.constant(''), hostileStrings.map((s) => s.slice(0, 300).replaceAll('"', ''))),
    type: fc.constantFrom('image/png', 'text/csv', 'application/pdf', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    data: fc.oneof(
      fc.constant(PNG_1PX),
      csv,
      fc.constant(Buffer.from('%PDF-1.4\n%%EOF\n')),
      fc.constant(Buffer.from('PK\u0003\u0004garbage')),
      fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)),
      fc.constant(Buffer.alloc(0)),
    ),
  });
  const wellFormed = fc.tuple(fieldValues, clean ? file : fc.option(file, { freq: 8 })).map(([f, fl]) => multipartBody(f, fl));
  if (clean) return wellFormed;
  return fc.oneof(
    { arbitrary: wellFormed, weight: 6 },
    {
      arbitrary: fc.constantFrom(
        { payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nunterminated', contentType: 'multipart/form-data; boundary=x' },
        { payload: 'no boundary here', contentType: 'multipart/form-data' },
        { payload: 'x', contentType: `multipart/form-data; boundary=${'b'.repeat(300)}` },
        { payload: '{"file":"x"}', contentType: 'application/json' },
        { payload: 'plain', contentType: 'text/plain' },
      ),
      weight: 1,
    },
  );
}

/** The body of an operation: JSON from its schema; in hostile requests, sometimes broken JSON or another media type. */
export function bodyArb(ctx: GeneratorContext, op: OpenApiOperation, clean: boolean): fc.Arbitrary<{ payload?: Buffer | string; contentType?: string }> {
  const content = op.requestBody?.content;
  if (!content) return fc.constant({});
  const multipart = content['multipart/form-data'];
  if (multipart) return multipartArb(ctx, multipart.schema, clean);
  const json = content['application/json'];
  if (!json) return fc.constant({});
  const jsonBody = valueOf(ctx, json.schema, '', clean ? 0 : 8).map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' }));
  if (clean) return jsonBody;
  const broken = fc.constantFrom(
    { payload: '{"a":', contentType: 'application/json' },
    { payload: '', contentType: 'application/json' },
    { payload: '{"a":"\\u0000"}', contentType: 'application/json' },
    { payload: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
    { payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' },
    { payload: 'a=b', contentType: 'application/x-www-form-urlencoded' },
    { payload: '<x/>', contentType: 'application/xml' },
  );
  return fc.oneof({ arbitrary: jsonBody, weight: 12 }, { arbitrary: broken, weight: 1 });
}

/** Hostile raw query-string text, not encoded: what a hand-written URL carries. */
const rawQueryJunk = fc.constantFrom('%', '%zz', '%00', '%C0%80', '%ED%A0%80', 'a[b]=c', '&&&', '=', 'limit=1&limit=2', 'q', '%FF%FE');

/**
 * One request of an operation: path, query, headers and body from its schemas. One in three
 * is clean (to get past validation into the services), the others carry hostile values.
 */
export function requestArb(ctx: GeneratorContext, method: string, path: string, op: OpenApiOperation): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ arbitrary: requestOf(ctx, method, path, op, true), weight: 1 }, { arbitrary: requestOf(ctx, method, path, op, false), weight: 2 });
}

function requestOf(ctx: GeneratorContext, method: string, path: string, op: OpenApiOperation, clean: boolean): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');
  const resource = path.split('/')[3] ?? '';
  const paramName = (name: string) => `${resource}:${name}`;

  const pathValues = fc.tuple(...pathParams.map((p) => valueOf(ctx, p.schema, paramName(p.name), clean ? 0 : 6).map(asParameterText)));
  const queryValues = fc.tuple(
    ...queryParams.map((p) => {
      const value = valueOf(ctx, p.schema, paramName(p.name), clean ? 0 : 4);
      // A parameter written twice (?state=a&state=b) arrives as an array.
      const v = clean ? value : fc.oneof({ arbitrary: value, weight: 6 }, { arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }), weight: 1 });
      return p.required ? v.map((x) => ({ present: true, x })) : fc.record({ present: fc.boolean(), x: v });
    }),
  );
  const headerValues = fc.tuple(
    ...headerParams.map((p) =>
      (clean
        ? fc.integer({ min: 1, max: 5 }).map(String)
        : fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: 5 }).map(String), weight: 4 },
            { arbitrary: fc.constantFrom('', 'W/"1"', '"1"', '*', '99999999999', '-1', '1.5', 'abc', 'é'), weight: 2 },
            { arbitrary: fc.constant(undefined), weight: 1 },
          )
      ).map((v) => [p.name, v] as const),
    ),
  );
  return fc
    .record({
      pathValues,
      queryValues,
      headerValues,
      junk: clean ? fc.constant(null) : fc.option(rawQueryJunk, { freq: 6 }),
      body: bodyArb(ctx, op, clean),
    })
    .map(({ pathValues: pv, queryValues: qv, headerValues: hv, junk, body }) => {
      let url = path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeParam(pv[i] ?? ''));
      });
      const query: string[] = [];
      queryParams.forEach((p, i) => {
        const q = qv[i]!;
        if (!q.present) return;
        for (const one of Array.isArray(q.x) && p.schema.type !== 'array' ? q.x : [q.x]) {
          query.push(`${encodeParam(p.name)}=${encodeParam(asParameterText(one))}`);
        }
      });
      if (junk !== null) query.push(junk);
      if (query.length > 0) url += `?${query.join('&')}`;
      const headers: Record<string, string> = {};
      for (const [name, v] of hv) if (v !== undefined) headers[name] = v;
      if (body.contentType) headers['content-type'] = body.contentType;
      return { method: method.toUpperCase(), url, headers, payload: body.payload };
    });
}
