import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { BanList } from './ban-list.js';
import { FlapDetector } from './flapping.js';

describe('ban list', () => {
  it('bans by client id, username and IP block until the clock passes the expiry', async () => {
    const clock = new FakeClock();
    const bans = new BanList(clock, [
      { clientId: 'rogue', until: clock.now() + 1000 },
      { username: 'mallory' },
      { ip: '203.0.113.0/24' },
    ]);
    expect(bans.find({ clientId: 'rogue' })).toMatchObject({ clientId: 'rogue' });
    expect(bans.find({ clientId: 'x', username: 'mallory' })).toMatchObject({ username: 'mallory' });
    expect(bans.find({ clientId: 'x', remoteAddress: '::ffff:203.0.113.9' })).toMatchObject({
      ip: '203.0.113.0/24',
    });
    expect(bans.find({ clientId: 'x', username: 'alice', remoteAddress: '198.51.100.1' })).toBeUndefined();
    await clock.advance(1000);
    expect(bans.find({ clientId: 'rogue' })).toBeUndefined();
    expect(bans.list()).toHaveLength(2);
  });

  it('requires every field of one ban to match', () => {
    const bans = new BanList(new FakeClock(), [{ username: 'u', ip: '10.0.0.1' }]);
    expect(bans.find({ clientId: 'c', username: 'u', remoteAddress: '10.0.0.2' })).toBeUndefined();
    expect(bans.find({ clientId: 'c', username: 'u', remoteAddress: '10.0.0.1' })).toBeDefined();
  });
});

describe('flapping detection', () => {
  it('flags the Nth CONNECT within the window and forgets older ones', () => {
    const flap = new FlapDetector(3, 10_000);
    expect(flap.record('a', 0)).toBe(false);
    expect(flap.record('a', 1000)).toBe(false);
    expect(flap.record('a', 20_000)).toBe(false); // the first two have left the window
    expect(flap.record('b', 20_000)).toBe(false);
    expect(flap.record('a', 21_000)).toBe(false);
    expect(flap.record('a', 22_000)).toBe(true);
    expect(flap.record('a', 22_500)).toBe(false); // counting starts afresh after a flag
  });
});
