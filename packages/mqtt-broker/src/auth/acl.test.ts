import { describe, expect, it } from 'vitest';
import { Acl, type AclSubject } from './acl.js';

const edge: AclSubject = {
  clientId: 'gw-1',
  username: 'plant-a',
  remoteAddress: '::ffff:10.1.2.3',
  listener: 'tcp:1883',
  roles: ['edge'],
};
const office: AclSubject = {
  ...edge,
  clientId: 'console',
  username: 'ops',
  remoteAddress: '192.168.0.5',
  roles: [],
};

describe('ACL (ordered, first match)', () => {
  const acl = new Acl([
    { permission: 'deny', action: 'all', topic: 'secret/#' },
    { permission: 'allow', action: 'publish', topic: 'ws/v1/%u/%c/#', who: { role: 'edge' } },
    { permission: 'allow', action: 'subscribe', topic: 'ws/v1/%u/+/mgmt/#' },
    { permission: 'allow', action: 'all', topic: '#', who: { ipCidr: '192.168.0.0/16' } },
    { permission: 'deny', action: 'publish', topic: '#' },
  ]);

  it('expands %u and %c placeholders per client', () => {
    expect(acl.check(edge, 'publish', 'ws/v1/plant-a/gw-1/pumps/data')).toBe('allow');
    expect(acl.check(edge, 'publish', 'ws/v1/plant-b/gw-1/pumps/data')).toBe('deny');
    expect(acl.check(edge, 'publish', 'ws/v1/plant-a/gw-2/pumps/data')).toBe('deny');
  });

  it('lets the first matching rule decide', () => {
    expect(acl.check(office, 'publish', 'secret/key')).toBe('deny');
    expect(acl.check(office, 'publish', 'anything/else')).toBe('allow');
  });

  it('returns undefined when no rule matches, so the listener default applies', () => {
    expect(acl.check(edge, 'subscribe', 'other/#')).toBeUndefined();
  });

  it('allows a subscription only when the rule covers the whole filter', () => {
    expect(acl.check(edge, 'subscribe', 'ws/v1/plant-a/gw-1/mgmt/config')).toBe('allow');
    expect(acl.check(edge, 'subscribe', 'ws/v1/plant-a/+/mgmt/#')).toBe('allow');
    expect(acl.check(edge, 'subscribe', 'ws/v1/+/+/mgmt/#')).toBeUndefined();
    expect(acl.check(edge, 'subscribe', '$share/g/ws/v1/plant-a/gw-1/mgmt/#')).toBe('allow');
  });

  it('denies a subscription that overlaps a deny rule at all (no side-stepping with #)', () => {
    expect(acl.check(office, 'subscribe', '#')).toBe('deny');
    expect(acl.check(office, 'subscribe', '+/key')).toBe('deny');
    expect(acl.check(office, 'subscribe', 'public/#')).toBe('allow');
  });

  it('matches IPv4-mapped addresses against IPv4 CIDRs and ignores rules for other listeners', () => {
    const byNet = new Acl([
      { permission: 'allow', action: 'all', topic: '#', who: { ipCidr: '10.0.0.0/8', listener: 'tcp:1883' } },
    ]);
    expect(byNet.check(edge, 'publish', 'a')).toBe('allow');
    expect(byNet.check({ ...edge, listener: 'ws:8083' }, 'publish', 'a')).toBeUndefined();
  });

  it('never matches a placeholder whose value is missing or would widen the rule', () => {
    const own = new Acl([{ permission: 'allow', action: 'all', topic: 'users/%u/#' }]);
    expect(own.check({ ...edge, username: undefined }, 'publish', 'users//x')).toBeUndefined();
    expect(own.check({ ...edge, username: '#' }, 'subscribe', 'users/#')).toBeUndefined();
    expect(own.check({ ...edge, username: 'a/b' }, 'publish', 'users/a/b/x')).toBeUndefined();
  });

  it('keeps $-topics out of reach of leading wildcards [MQTT-4.7.2-1]', () => {
    const all = new Acl([{ permission: 'allow', action: 'all', topic: '#' }]);
    expect(all.check(edge, 'subscribe', '$SYS/#')).toBeUndefined();
    expect(all.check(edge, 'publish', '$SYS/x')).toBeUndefined();
  });
});
