import { describe, expect, it } from 'vitest';
import { parseSubscriptionFilter, topicFilterError, topicMatches, topicNameError } from './validate.js';

describe('topic names', () => {
  it.each(['a', 'a/b', '/', 'a//b', '$SYS/x', 'ws/v1/site/node/group/data'])('accepts %j', (t) => {
    expect(topicNameError(t, 64)).toBeUndefined();
  });
  it.each(['', 'a/+', 'a/#', '+', 'a\u0000b'])('rejects %j', (t) => {
    expect(topicNameError(t, 64)).toBeTypeOf('string');
  });
  it('limits the number of levels', () => {
    expect(topicNameError('a/b/c', 3)).toBeUndefined();
    expect(topicNameError('a/b/c/d', 3)).toMatch(/levels/);
  });
});

describe('topic filters [MQTT-4.7.1]', () => {
  it.each(['#', '+', 'a/#', 'a/+/b', '+/+', '/+', 'a//#', '$SYS/#'])('accepts %j', (f) => {
    expect(topicFilterError(f, 64)).toBeUndefined();
  });
  it.each(['', 'a/#/b', 'a#', 'a/b#', 'a+', 'a/+b', '##'])('rejects %j', (f) => {
    expect(topicFilterError(f, 64)).toBeTypeOf('string');
  });
  it('splits shared subscriptions into group and filter [MQTT-4.8.2-1]', () => {
    expect(parseSubscriptionFilter('$share/g1/a/+', 64)).toEqual({ filter: 'a/+', group: 'g1' });
    expect(parseSubscriptionFilter('$queue/a/b', 64)).toEqual({ filter: 'a/b', group: '$queue' });
    expect(parseSubscriptionFilter('a/b', 64)).toEqual({ filter: 'a/b', group: undefined });
    expect(parseSubscriptionFilter('$share/g1', 64)).toBeTypeOf('string');
    expect(parseSubscriptionFilter('$share//a', 64)).toBeTypeOf('string');
    expect(parseSubscriptionFilter('$share/g+/a', 64)).toBeTypeOf('string');
    expect(parseSubscriptionFilter('$share/g/a/#/b', 64)).toBeTypeOf('string');
  });
});

describe('topicMatches', () => {
  const cases: [string, string, boolean][] = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a/', true],
    ['a/#', 'a', true], // '#' includes the parent level [MQTT-4.7.1-2]
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['+/+', '/x', true],
    ['+', '/x', false],
    ['#', '$SYS/x', false], // [MQTT-4.7.2-1]
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['a/b/c', 'a/b', false],
  ];
  it.each(cases)('%j vs %j → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
