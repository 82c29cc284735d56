import { silentLogger } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { FakeMessageSource } from '../testing.js';
import { ActionRegistry } from './registry.js';

function create(config: Record<string, unknown>) {
  const source = new FakeMessageSource();
  const action = new ActionRegistry().create(
    { type: 'republish', ...config },
    { source, logger: silentLogger(), sinks: { get: () => undefined }, ruleId: 'r' },
  );
  return { source, action };
}

describe('republish action', () => {
  it('renders topic, payload, QoS, retain and user properties per row', async () => {
    const { source, action } = create({
      topic: 'ws/v1/${site}/alerts/${kind}',
      payload: '{"flow":${flow},"at":"${site}"}',
      qos: 1,
      retain: true,
      userProperties: { rule: 'r', site: '${site}' },
    });
    await action.run(
      [
        { site: 's1', kind: 'leak', flow: 3 },
        { site: 's2', kind: 'burst', flow: 90 },
      ],
      undefined,
    );
    expect(source.published).toEqual([
      {
        topic: 'ws/v1/s1/alerts/leak',
        payload: '{"flow":3,"at":"s1"}',
        qos: 1,
        retain: true,
        userProperties: { rule: 'r', site: 's1' },
      },
      {
        topic: 'ws/v1/s2/alerts/burst',
        payload: '{"flow":90,"at":"s2"}',
        qos: 1,
        retain: true,
        userProperties: { rule: 'r', site: 's2' },
      },
    ]);
  });

  it('publishes the whole row as JSON by default, QoS 0, not retained', async () => {
    const { source, action } = create({ topic: 'out' });
    await action.run([{ a: { b: 1 } }], undefined);
    expect(source.published).toEqual([{ topic: 'out', payload: '{"a":{"b":1}}', qos: 0, retain: false }]);
  });

  it('refuses a topic that renders empty or with wildcards', () => {
    const { action } = create({ topic: '${missing}' });
    expect(() => action.run([{}], undefined)).toThrow(/not a valid topic/);
    const { action: plus } = create({ topic: 'a/${x}' });
    expect(() => plus.run([{ x: '+' }], undefined)).toThrow(/not a valid topic/);
  });
});
