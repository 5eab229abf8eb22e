import pg from 'pg';

/** Server-level helpers (create/drop databases) for tests, codegen and the benchmark. */
export function urlForDatabase(baseUrl: string, database: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
  return `"${name}"`;
}

async function withAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlForDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  await withAdmin(serverUrl, async (c) => {
    await c.query(`drop database if exists ${quoteIdent(name)} with (force)`);
    await c.query(
      `create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`,
    );
  });
  return urlForDatabase(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
}
