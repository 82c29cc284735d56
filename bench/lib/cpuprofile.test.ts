import { describe, expect, it } from 'vitest';
import { topSelfTime, type CpuProfile } from './cpuprofile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('topSelfTime', () => {
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 100,
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('match', 'file:///work/main/packages/mqtt-broker/src/topic/trie.ts', 41) },
      // The same function reached by another call path is another node.
      { id: 4, callFrame: frame('match', 'file:///work/main/packages/mqtt-broker/src/topic/trie.ts', 41) },
      { id: 5, callFrame: frame('writev') },
    ],
    samples: [2, 3, 4, 5, 2, 3],
    timeDeltas: [1000, 2000, 3000, 1000, 5000, 4000],
  };

  it('merges nodes of one function, leaves idle out of the shares and sorts by self time', () => {
    expect(topSelfTime(profile)).toEqual({
      busyMs: 10,
      idleMs: 6,
      top: [
        { fn: 'match (packages/mqtt-broker/src/topic/trie.ts:42)', ms: 9, percent: 90 },
        { fn: 'writev', ms: 1, percent: 10 },
      ],
    });
  });

  it('limits the list', () => {
    expect(topSelfTime(profile, 1).top).toHaveLength(1);
  });
});
