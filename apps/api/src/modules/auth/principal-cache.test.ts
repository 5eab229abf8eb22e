import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { EVERYONE, PrincipalCache, type LoadedPrincipal } from './principal-cache.js';

const silent = { debug() {}, warn() {} } as unknown as FastifyBaseLogger;

class FakeSubscriber extends EventEmitter {
  status = 'connecting';
  channels: string[] = [];
  async subscribe(channel: string) {
    this.channels.push(channel);
  }
  disconnect() {
    this.status = 'end';
  }
  up() {
    this.status = 'ready';
    this.emit('ready');
  }
  down() {
    this.status = 'reconnecting';
    this.emit('close');
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function setup(ttlSeconds = 30) {
  const subscriber = new FakeSubscriber();
  const published: string[] = [];
  let failPublish = false;
  const publisher = {
    async publish(_channel: string, message: string) {
      if (failPublish) throw new Error('down');
      published.push(message);
      return 1;
    },
  };
  let loads = 0;
  let value: LoadedPrincipal | null = { territoryId: 't', grants: [{ role: 'technician', siteId: 's' }] };
  let gate: Promise<void> | null = null;
  const cache = new PrincipalCache({
    ttlSeconds, prefix: 'p', log: silent,
    publisher: publisher as unknown as Redis, subscriber: subscriber as unknown as Redis,
    load: async () => {
      loads++;
      const seen = value;
      if (gate) await gate;
      return seen;
    },
  });
  return {
    cache, subscriber, published,
    loads: () => loads,
    set: (v: LoadedPrincipal | null) => (value = v),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
    failPublish: (f: boolean) => (failPublish = f),
    /** The subscriber connects and the cache subscribes. */
    subscribed: async () => {
      subscriber.up();
      await tick();
    },
  };
}


describe('principal cache', () => {
  it('reads the database every time until it is subscribed', async () => {
    const t = setup();
    await t.cache.get('u');
    await t.cache.get('u');
    expect(t.loads()).toBe(2);
    await t.subscribed();
    expect(t.subscriber.channels).toEqual(['p:principal-changed']);
    await t.cache.get('u');
    await t.cache.get('u');
    expect(t.loads()).toBe(3);
  });

  it('forgets a user when a change is heard, and forgets everything when the subscription drops', async () => {
    const t = setup();
    await t.subscribed();
    await t.cache.get('u');
    t.subscriber.emit('message', 'p:principal-changed', 'u');
    await t.cache.get('u');
    expect(t.loads()).toBe(2);
    t.subscriber.emit('message', 'other:principal-changed', 'u');
    await t.cache.get('u');
    expect(t.loads()).toBe(2);

    t.subscriber.down();
    expect(t.cache.active).toBe(false);
    await t.cache.get('u');
    await t.cache.get('u');
    expect(t.loads()).toBe(4);
    await t.subscribed();
    await t.cache.get('u');
    expect(t.loads()).toBe(5);
  });

  it('forgets every user on EVERYONE', async () => {
    const t = setup();
    await t.subscribed();
    await t.cache.get('u');
    await t.cache.get('v');
    t.subscriber.emit('message', 'p:principal-changed', EVERYONE);
    await t.cache.get('u');
    await t.cache.get('v');
    expect(t.loads()).toBe(4);
  });

  it('does not keep what a load read before a change that arrived while it ran', async () => {
    const t = setup();
    await t.subscribed();
    const release = t.hold();
    const pending = t.cache.get('u');
    t.subscriber.emit('message', 'p:principal-changed', 'u');
    release();
    await pending;
    t.set({ territoryId: 't', grants: [] });
    expect((await t.cache.get('u'))?.grants).toEqual([]);
    expect(t.loads()).toBe(2);
  });

  it('shares one load among concurrent requests, and never keeps a deactivated user', async () => {
    const t = setup();
    await t.subscribed();
    await Promise.all([t.cache.get('u'), t.cache.get('u'), t.cache.get('u')]);
    expect(t.loads()).toBe(1);
    t.set(null);
    await t.cache.get('v');
    await t.cache.get('v');
    expect(t.loads()).toBe(3);
  });

  it('keeps entries no longer than the TTL; a TTL of 0 turns it off', async () => {
    const off = setup(0);
    await off.subscribed();
    await off.cache.get('u');
    await off.cache.get('u');
    expect(off.loads()).toBe(2);
  });

  it('changed() forgets at once here and publishes the user for the other processes', async () => {
    const t = setup();
    await t.subscribed();
    await t.cache.get('u');
    await t.cache.changed('u');
    expect(t.published).toEqual(['u']);
    await t.cache.get('u');
    expect(t.loads()).toBe(2);
    t.failPublish(true);
    await t.cache.changed('u');
    expect(t.published).toEqual(['u']);
    t.failPublish(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect(t.published).toEqual(['u', 'u']);
    await t.cache.close();
  });
});
