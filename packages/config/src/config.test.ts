import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, parseConfig, smtpSettings } from './index.js';

describe('configuration', () => {
  it('has sensible defaults: embedded database, local Redis, port 3000', () => {
    const c = parseConfig({});
    expect(c.embedded).toBe(true);
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(c.DATA_DIR.endsWith('.data')).toBe(true);
    expect(c.CORS_ORIGINS).toEqual([]);
  });

  it('uses DATABASE_URL when given and treats empty values as unset', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u@db:5432/gmao' }).embedded).toBe(false);
    expect(parseConfig({ DATABASE_URL: '' }).embedded).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      parseConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://r', CORS_ORIGINS: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).issues.map((i) => i.variable).sort();
      expect(vars).toEqual(['CORS_ORIGINS', 'DATABASE_URL', 'PORT', 'REDIS_URL']);
      expect((err as ConfigError).message).toContain('PORT');
    }
  });

  it('refuses a production start without a JWT secret, and a short secret', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/gmao' })).toThrow(/JWT_SECRET/);
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    const ok = parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/gmao', JWT_SECRET: 'x'.repeat(32) });
    expect(ok.JWT_SECRET).toHaveLength(32);
  });

  it('parses lists and booleans', () => {
    const c = parseConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', TRUST_PROXY: 'true', SEED_DEMO: '0' });
    expect(c.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(c.TRUST_PROXY).toBe(true);
    expect(c.SEED_DEMO).toBe(false);
  });

  it('TRUST_PROXY: false by default, true, or proxy addresses and ranges', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,fd00::/8, loopback' }).TRUST_PROXY)
      .toEqual(['10.0.0.1', '172.16.0.0/12', 'fd00::/8', 'loopback']);
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'proxy.example', 'maybe', '2']) {
      expect(() => parseConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('Redis key prefix (QUEUE_PREFIX)', () => {
  it('differs between embedded instances with different data directories, so that their queues and counters stay apart', () => {
    const a = parseConfig({ DATA_DIR: '/srv/gmao/hopital-a' });
    const b = parseConfig({ DATA_DIR: '/srv/gmao/hopital-b' });
    expect(a.QUEUE_PREFIX).not.toBe(b.QUEUE_PREFIX);
    expect(a.QUEUE_PREFIX).toMatch(/^gmao:[0-9a-f]{12}$/);
    expect(b.QUEUE_PREFIX).toMatch(/^gmao:[0-9a-f]{12}$/);
  });

  it('is the same for the same data directory, however it is written', () => {
    const a = parseConfig({ DATA_DIR: '/srv/gmao/hopital-a' });
    expect(parseConfig({ DATA_DIR: '/srv/gmao/hopital-a' }).QUEUE_PREFIX).toBe(a.QUEUE_PREFIX);
    expect(parseConfig({ DATA_DIR: '/srv/gmao/x/../hopital-a/' }).QUEUE_PREFIX).toBe(a.QUEUE_PREFIX);
    expect(parseConfig({ DATA_DIR: 'rel-data' }).QUEUE_PREFIX).toBe(parseConfig({ DATA_DIR: path.resolve('rel-data') }).QUEUE_PREFIX);
  });

  it('is the one given in QUEUE_PREFIX when set, in either mode', () => {
    expect(parseConfig({ DATA_DIR: '/srv/gmao/hopital-a', QUEUE_PREFIX: 'site-a' }).QUEUE_PREFIX).toBe('site-a');
    expect(parseConfig({ DATABASE_URL: 'postgres://db/gmao', QUEUE_PREFIX: 'site-b' }).QUEUE_PREFIX).toBe('site-b');
  });

  it('stays `gmao` with DATABASE_URL, where the API and worker processes must meet on the same queues', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://db/gmao', DATA_DIR: '/a' }).QUEUE_PREFIX).toBe('gmao');
    expect(parseConfig({ DATABASE_URL: 'postgres://db/gmao', DATA_DIR: '/b' }).QUEUE_PREFIX).toBe('gmao');
  });
});

describe('SMTP settings of the notification emails', () => {
  it('are off when SMTP_HOST is unset: notifications in the app only', () => {
    expect(smtpSettings(parseConfig({}))).toBeNull();
    expect(parseConfig({}).NOTIFICATION_DUE_SOON_DAYS).toBe(7);
  });

  it('default the port from SMTP_SECURE and take the credentials together', () => {
    expect(smtpSettings(parseConfig({ SMTP_HOST: 'smtp.chu.fr', SMTP_FROM: 'GMAO <gmao@chu.fr>' })))
      .toEqual({ host: 'smtp.chu.fr', port: 587, secure: false, auth: null, from: 'GMAO <gmao@chu.fr>' });
    expect(smtpSettings(parseConfig({ SMTP_HOST: 'smtp.chu.fr', SMTP_SECURE: 'true', SMTP_USER: 'gmao', SMTP_PASSWORD: 's3cret', SMTP_FROM: 'gmao@chu.fr' })))
      .toEqual({ host: 'smtp.chu.fr', port: 465, secure: true, auth: { user: 'gmao', pass: 's3cret' }, from: 'gmao@chu.fr' });
    expect(smtpSettings(parseConfig({ SMTP_HOST: '10.0.0.5', SMTP_PORT: '2525', SMTP_FROM: 'gmao@chu.fr' }))?.port).toBe(2525);
  });

  it('name the variable that is missing or bad', () => {
    expect(() => parseConfig({ SMTP_HOST: 'smtp.chu.fr' })).toThrow(/SMTP_FROM/);
    expect(() => parseConfig({ SMTP_HOST: 'smtp.chu.fr', SMTP_FROM: 'gmao@chu.fr', SMTP_USER: 'gmao' })).toThrow(/SMTP_PASSWORD/);
    expect(() => parseConfig({ SMTP_HOST: 'smtp.chu.fr', SMTP_FROM: 'pas une adresse' })).toThrow(/SMTP_FROM/);
    expect(() => parseConfig({ SMTP_PORT: '70000' })).toThrow(/SMTP_PORT/);
    expect(() => parseConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ NOTIFICATION_DUE_SOON_DAYS: '0' })).toThrow(/NOTIFICATION_DUE_SOON_DAYS/);
  });
});
