import { describe, expect, it } from 'vitest';
import { isValidFilter, topicMatches } from './topic.js';

describe('topicMatches', () => {
  it.each([
    ['ws/v1/+/+/+/data', 'ws/v1/s1/n1/g1/data', true],
    ['ws/v1/+/+/+/data', 'ws/v1/s1/n1/data', false],
    ['ws/v1/+/+/+/data', 'ws/v1/s1/n1/g1/data/x', false],
    ['t/#', 't', true], // [MQTT-4.7.1-2] parent level
    ['t/#', 't/a/b/c', true],
    ['t/#', 'tt/a', false],
    ['#', 'a/b', true],
    ['#', '$SYS/x', false], // [MQTT-4.7.2-1]
    ['+/x', '$events/x', false],
    ['$events/client_connected', '$events/client_connected', true],
    ['$events/+', '$events/client_connected', true],
    ['a/+', 'a/', true], // empty level is a level
    ['a/+', 'a', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/bc', false],
    ['+', 'a', true],
    ['+', 'a/b', false],
    ['/+', '/a', true],
  ])('%s vs %s → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('validates filters', () => {
    expect(isValidFilter('a/+/#')).toBe(true);
    expect(isValidFilter('a/#/b')).toBe(false);
    expect(isValidFilter('a/b+')).toBe(false);
    expect(isValidFilter('')).toBe(false);
  });
});
