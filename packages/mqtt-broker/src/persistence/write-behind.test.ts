import { silentLogger } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { WriteBehind } from './write-behind.js';

function setup(
  commit: (ops: readonly string[], keyed: ReadonlyMap<string, string>) => void = () => undefined,
) {
  const commits: Array<{ ops: string[]; keyed: Array<[string, string]> }> = [];
  const failures: number[] = [];
  const journal = new WriteBehind<string, string>({
    commit: (ops, keyed) => {
      commit(ops, keyed);
      commits.push({ ops: [...ops], keyed: [...keyed] });
    },
    failed: (_err, changes) => failures.push(changes),
    logger: silentLogger(),
  });
  const committed = (): Promise<void> => new Promise((resolve) => journal.afterDurable(resolve));
  return { journal, commits, failures, committed };
}

describe('WriteBehind', () => {
  it('commits everything recorded in one turn as one batch, in order, keyed changes last-wins', async () => {
    const { journal, commits, committed } = setup();
    journal.push('a');
    journal.set('topic', 'v1');
    journal.push('b');
    journal.set('topic', 'v2');
    expect(journal.durable).toBe(false);
    expect(commits).toEqual([]);
    await committed();
    expect(commits).toEqual([{ ops: ['a', 'b'], keyed: [['topic', 'v2']] }]);
    expect(journal.durable).toBe(true);
  });

  it('runs callbacks after their batch, in call order; one registered while they run waits its turn', () => {
    const { journal } = setup();
    const seen: string[] = [];
    journal.push('x');
    journal.afterDurable(() => {
      seen.push('first');
      journal.afterDurable(() => seen.push('third'));
    });
    journal.afterDurable(() => seen.push('second'));
    journal.flush();
    expect(seen).toEqual(['first', 'second']);
    journal.flush();
    expect(seen).toEqual(['first', 'second', 'third']);
    journal.afterDurable(() => seen.push('at once'));
    expect(seen.at(-1)).toBe('at once');
  });

  it('reports a batch that cannot be written and still answers the callbacks', () => {
    const { journal, failures } = setup(() => {
      throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    });
    const seen: string[] = [];
    journal.push('a');
    journal.set('k', 'v');
    journal.afterDurable(() => seen.push('ack'));
    journal.flush();
    expect(failures).toEqual([2]);
    expect(seen).toEqual(['ack']);
    expect(journal.durable).toBe(true);
  });

  it('writes what is pending on close and leaves no timer behind', () => {
    const { journal, commits } = setup();
    journal.push('last');
    journal.close();
    expect(commits).toEqual([{ ops: ['last'], keyed: [] }]);
    expect(journal.durable).toBe(true);
  });
});
