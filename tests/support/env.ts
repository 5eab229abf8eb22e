/**
 * How tests find PostgreSQL and Redis: TEST_DATABASE_URL (a server URL; databases are
 * created and dropped on it, so it needs CREATEDB) and REDIS_URL, defaulting to the
 * machine's local services on their standard ports.
 */
export const TEST_DATABASE_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
