import { describe, expect, it } from 'vitest';
import { topicMatches } from './validate.js';
import { TopicTrie } from './trie.js';

function matches(trie: TopicTrie<string>, topic: string): string[] {
  const out: string[] = [];
  trie.match(topic, (v) => out.push(v));
  return out.sort();
}

describe('TopicTrie', () => {
  it('matches literal, + and # filters', () => {
    const trie = new TopicTrie<string>();
    for (const f of ['a/b', 'a/+', 'a/#', '#', '+/b', 'a/b/c', '+/+/+']) trie.add(f, f, f);
    expect(matches(trie, 'a/b')).toEqual(['#', '+/b', 'a/#', 'a/+', 'a/b']);
    expect(matches(trie, 'a')).toEqual(['#', 'a/#']);
    expect(matches(trie, 'a/b/c')).toEqual(['#', '+/+/+', 'a/#', 'a/b/c']);
    expect(matches(trie, 'x/y')).toEqual(['#']);
  });

  it('does not match $ topics with leading wildcards [MQTT-4.7.2-1]', () => {
    const trie = new TopicTrie<string>();
    for (const f of ['#', '+/info', '$SYS/#', '$SYS/+']) trie.add(f, f, f);
    expect(matches(trie, '$SYS/info')).toEqual(['$SYS/#', '$SYS/+']);
  });

  it('replaces a key on the same filter and prunes on removal', () => {
    const trie = new TopicTrie<string>();
    expect(trie.add('a/b', 'k', 'v1')).toBe(true);
    expect(trie.add('a/b', 'k', 'v2')).toBe(false);
    expect(trie.size).toBe(1);
    expect(matches(trie, 'a/b')).toEqual(['v2']);
    expect(trie.remove('a/b', 'k')).toBe(true);
    expect(trie.remove('a/b', 'k')).toBe(false);
    expect(trie.size).toBe(0);
    expect(matches(trie, 'a/b')).toEqual([]);
  });

  it('keeps share groups apart and rotates their members', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/+', 'x', 'x', 'g');
    trie.add('a/+', 'y', 'y', 'g');
    trie.add('a/+', 'z', 'z');
    const picks: string[] = [];
    const pick = (preferred: (v: string) => boolean): void =>
      trie.match(
        'a/1',
        () => undefined,
        (g) => picks.push(g.pick(preferred)!),
      );
    for (let i = 0; i < 4; i++) pick(() => true);
    expect(picks).toEqual(['x', 'y', 'x', 'y']);
    // members the caller does not prefer are skipped while a preferred one exists
    pick((v) => v === 'y');
    pick((v) => v === 'y');
    expect(picks.slice(4)).toEqual(['y', 'y']);
    expect(matches(trie, 'a/1')).toEqual(['z']);
    expect(trie.remove('a/+', 'x', 'g')).toBe(true);
    expect(trie.size).toBe(2);
  });

  it('agrees with topicMatches on a grid of filters and topics', () => {
    const filters = ['#', '+', 'a', 'a/#', 'a/+', '+/b', 'a/+/c', '+/+', '/#', '/+', '$x/#', '+/#', 'a/b/#'];
    const topics = ['a', 'a/b', 'a/b/c', '/', '/a', 'a/', '$x/a', '$x', 'b/b', 'a/x/c'];
    const trie = new TopicTrie<string>();
    for (const f of filters) trie.add(f, f, f);
    for (const t of topics) {
      expect(matches(trie, t), t).toEqual(filters.filter((f) => topicMatches(f, t)).sort());
    }
  });
});
