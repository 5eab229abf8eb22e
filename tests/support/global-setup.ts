import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, migrate, recreateDatabase, seedDemo } from '@gmao/db';
import { TEST_DATABASE_SERVER } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Builds one migrated, demo-seeded template database per run; test files clone it. */
export default async function setup(project: TestProject) {
  const name = `gmao_tpl_${project.name.replace(/\W/g, '')}_${process.pid}`;
  let url: string;
  try {
    url = await recreateDatabase(TEST_DATABASE_SERVER, name);
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_SERVER} (${(err as Error).message}). ` +
        'Start it or set TEST_DATABASE_URL; see README.md, "Tests".',
      { cause: err },
    );
  }
  const database = createDatabase({ url });
  try {
    await migrate(database);
    await seedDemo(database.db, { workOrders: false });
  } finally {
    await database.close();
  }
  project.provide('templateDatabase', name);
  return async () => {
    await dropDatabase(TEST_DATABASE_SERVER, name);
  };
}
