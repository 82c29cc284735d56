import { describe, expect, it } from 'vitest';
import { MqttBridgeErrors } from './errors.js';
import { TopicMapper } from './topic-mapping.js';

describe('TopicMapper', () => {
  it('replaces a prefix: ws/v1/# -> office/plant7/#', () => {
    const m = new TopicMapper([{ from: 'ws/v1/#', to: 'office/plant7/#' }]);
    expect(m.map('ws/v1/s1/n1/g1/data')).toBe('office/plant7/s1/n1/g1/data');
    // '#' matches the parent level too [MQTT-4.7.1-2].
    expect(m.map('ws/v1')).toBe('office/plant7');
  });

  it('strips and adds prefixes', () => {
    expect(new TopicMapper([{ from: 'ws/v1/#', to: '#' }]).map('ws/v1/a/b')).toBe('a/b');
    expect(new TopicMapper([{ from: '#', to: 'plant7/#' }]).map('a/b')).toBe('plant7/a/b');
  });

  it('carries "+" levels in order', () => {
    const m = new TopicMapper([{ from: 'ws/v1/+/+/+/data', to: 'office/+/+/+' }]);
    expect(m.map('ws/v1/site/node/group/data')).toBe('office/site/node/group');
    expect(m.map('ws/v1/site/node/mgmt/status/x')).toBe('ws/v1/site/node/mgmt/status/x');
  });

  it('uses the first matching rule and leaves unmatched topics unchanged', () => {
    const m = new TopicMapper([
      { from: 'a/special', to: 'x/special' },
      { from: 'a/#', to: 'y/#' },
    ]);
    expect(m.map('a/special')).toBe('x/special');
    expect(m.map('a/other')).toBe('y/other');
    expect(m.map('b/other')).toBe('b/other');
    expect(new TopicMapper().map('any/topic')).toBe('any/topic');
  });

  it('does not let leading wildcards match $-topics [MQTT-4.7.2-1]', () => {
    const m = new TopicMapper([{ from: '#', to: 'plant7/#' }]);
    expect(m.map('$SYS/broker/uptime')).toBe('$SYS/broker/uptime');
  });

  it('keeps empty levels', () => {
    expect(new TopicMapper([{ from: 'a/+/c', to: 'x/+' }]).map('a//c')).toBe('x/');
  });

  it.each([
    [{ from: 'a/#/b', to: 'x' }, '"#" must be the whole last level'],
    [{ from: 'a/b+', to: 'x' }, '"+" must be a whole level'],
    [{ from: 'a/+', to: 'x/+/+' }, '"to" has 2 "+"'],
    [{ from: 'a/b', to: 'x/#' }, '"to" ends with "#"'],
    [{ from: 'a/#', to: 'x/y' }, '"to" must too'],
  ])('rejects %o at construction', (rule, why) => {
    let caught: unknown;
    try {
      new TopicMapper([rule]);
    } catch (err) {
      caught = err;
    }
    expect(MqttBridgeErrors.BAD_MAPPING.is(caught)).toBe(true);
    expect((caught as Error).message).toContain(why);
  });
});
