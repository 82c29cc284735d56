import { describe, expect, it } from 'vitest';
import { MqttBridgeErrors } from './errors.js';
import { rowToMessage, type RowMapping } from './row-message.js';
import { TopicMapper } from './topic-mapping.js';

const mapping = (over: Partial<RowMapping> = {}): RowMapping => ({
  mapper: new TopicMapper([{ from: 'ws/v1/#', to: 'office/plant7/#' }]),
  topicTemplate: undefined,
  qos: 1,
  retain: false,
  ...over,
});

describe('rowToMessage', () => {
  it('publishes a raw message as is, topic mapped', () => {
    const msg = rowToMessage(
      { topic: 'ws/v1/s/n/g/data', payload: '{"v":1}', qos: 0, retain: true },
      mapping(),
    );
    expect(msg).toEqual({
      topic: 'office/plant7/s/n/g/data',
      payload: Buffer.from('{"v":1}'),
      qos: 0,
      retain: true,
    });
  });

  it('accepts bytes, and a Buffer as it comes back from the disk queue as JSON', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const fromDisk = JSON.parse(JSON.stringify({ topic: 't', payload: bytes })) as Record<string, unknown>;
    expect(rowToMessage({ topic: 't', payload: bytes }, mapping()).payload).toEqual(bytes);
    expect(rowToMessage(fromDisk, mapping()).payload).toEqual(bytes);
  });

  it('sends other rows as JSON on the rendered template', () => {
    const row = { point: 's.n.g.flow', ts: 1, value: 2.5, quality: 'good' };
    const msg = rowToMessage(row, mapping({ topicTemplate: 'ws/v1/points/${point}' }));
    expect(msg.topic).toBe('office/plant7/points/s.n.g.flow');
    expect(JSON.parse(msg.payload.toString())).toEqual(row);
    expect(msg.qos).toBe(1);
  });

  it('carries QoS 2 as QoS 1 and keeps MQTT 5 properties but not connection-bound ones', () => {
    const msg = rowToMessage(
      {
        topic: 't',
        payload: 'x',
        qos: 2,
        properties: { contentType: 'application/json', userProperties: { a: '1' }, topicAlias: 3 },
      },
      mapping(),
    );
    expect(msg.qos).toBe(1);
    expect(msg.properties).toEqual({ contentType: 'application/json', userProperties: { a: '1' } });
  });

  it.each([
    [{ value: 1 }, mapping(), 'no topic template'],
    [{ value: 1 }, mapping({ topicTemplate: 'a/${point}' }), 'field "point" is missing'],
    [{ topic: 'a/+/b', payload: '' }, mapping(), 'not a valid topic name'],
    [
      { topic: 'ws/v1', payload: '' },
      mapping({ mapper: new TopicMapper([{ from: 'ws/v1/#', to: '#' }]) }),
      'not a valid',
    ],
  ])('rejects %o', (row, m, why) => {
    let caught: unknown;
    try {
      rowToMessage(row, m, 7);
    } catch (err) {
      caught = err;
    }
    expect(MqttBridgeErrors.BAD_ROW.is(caught)).toBe(true);
    expect((caught as Error).message).toContain(why);
  });
});
