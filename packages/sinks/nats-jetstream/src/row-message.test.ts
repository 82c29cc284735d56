import { describe, expect, it } from 'vitest';
import { NatsSinkErrors } from './errors.js';
import { rowToMessage, type RowMapping } from './row-message.js';

const m = (over: Partial<RowMapping> = {}): RowMapping => ({
  subjectPrefix: '',
  topicTemplate: undefined,
  msgIdFields: undefined,
  ...over,
});

describe('rowToMessage', () => {
  it('keeps a raw message payload and maps its topic', () => {
    const msg = rowToMessage(
      { topic: 'ws/v1/s/n/g/data', payload: '{"seq":4}' },
      m({ subjectPrefix: 'plant7' }),
    );
    expect(msg.subject).toBe('plant7.ws.v1.s.n.g.data');
    expect(Buffer.from(msg.payload).toString()).toBe('{"seq":4}');
  });

  it('sends other rows as JSON on the template, point ids escaped', () => {
    const row = { point: 's1.n1.g1.flow', ts: 1_700_000_000_000, value: 3 };
    const msg = rowToMessage(row, m({ topicTemplate: 'ws/points/${point}' }));
    expect(msg.subject).toBe('ws.points.s1%2En1%2Eg1%2Eflow');
    expect(JSON.parse(Buffer.from(msg.payload).toString())).toEqual(row);
  });

  it('derives a stable message id: point@ts, configured fields, or a content digest', () => {
    const row = { point: 'p1', ts: 5, value: 1 };
    expect(rowToMessage(row, m({ topicTemplate: 'ws/${point}' })).msgId).toBe('p1@5');
    expect(
      rowToMessage(row, m({ topicTemplate: 'ws/${point}', msgIdFields: ['point', 'value'] })).msgId,
    ).toBe('p1@1');
    const a = rowToMessage({ topic: 'ws/a', payload: 'x' }, m()).msgId;
    expect(rowToMessage({ topic: 'ws/a', payload: 'x' }, m()).msgId).toBe(a);
    expect(rowToMessage({ topic: 'ws/a', payload: 'y' }, m()).msgId).not.toBe(a);
    expect(rowToMessage({ topic: 'ws/b', payload: 'x' }, m()).msgId).not.toBe(a);
  });

  it('rejects rows without a topic or a template field', () => {
    for (const [row, mapping] of [
      [{ value: 1 }, m()],
      [{ value: 1 }, m({ topicTemplate: 'ws/${point}' })],
      [{ topic: 'ws/a', payload: 'x' }, m({ msgIdFields: ['seq'] })],
    ] as const) {
      let caught: unknown;
      try {
        rowToMessage(row, mapping);
      } catch (err) {
        caught = err;
      }
      expect(NatsSinkErrors.BAD_ROW.is(caught)).toBe(true);
    }
  });
});
