/**
 * Activation tracking on a FakeClock with a recording link: confirmation and termination, negative
 * answers, timeouts, one activation per type and IOA at a time, and link loss.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import type { Asdu } from '../codec/asdu.js';
import { Cot, TypeId } from '../codec/types.js';
import { Iec104Errors } from '../errors.js';
import { CommandTracker, type Activation, type CommandLink } from './commands.js';

function setup(connected = true) {
  const clock = new FakeClock();
  const sent: Asdu[] = [];
  const outcomes: string[] = [];
  const link: CommandLink = {
    send: (a) => {
      if (!connected) throw Iec104Errors.DISCONNECTED.create(['mem', 'down']);
      sent.push(a);
    },
    countRequest: () => outcomes.push('request'),
    countOutcome: (r) => outcomes.push('rttMs' in r ? 'ok' : ((r.error as { code: string }).code ?? '?')),
  };
  const tracker = new CommandTracker(link, clock, 1000, { commonAddress: 5, originator: 2 });
  const answer = (a: Asdu, cot: number, negative = false): boolean =>
    tracker.onAsdu({ ...a, cot, negative, supported: true });
  return { clock, sent, outcomes, tracker, answer };
}

const setpoint = (select = false, until: Activation['until'] = 'term'): Activation => ({
  typeId: TypeId.C_SE_NC_1,
  object: { ioa: 25089, value: 12.5, select, qualifier: 0 },
  until,
});

describe('command tracker', () => {
  it('sends an activation with our addresses and resolves on termination after confirmation', async () => {
    const { sent, tracker, answer, outcomes } = setup();
    let done = false;
    const p = tracker.run(setpoint()).then(() => (done = true));
    await Promise.resolve();
    expect(sent).toEqual([
      {
        typeId: TypeId.C_SE_NC_1,
        cot: Cot.ACTIVATION,
        originator: 2,
        commonAddress: 5,
        objects: [setpoint().object],
      },
    ]);
    const req = sent[0]!;
    // Confirmation and termination handled in one synchronous turn, as when they share a segment.
    expect(answer(req, Cot.ACTIVATION_CON)).toBe(true);
    expect(done).toBe(false);
    answer(req, Cot.ACTIVATION_TERM);
    await p;
    expect(done).toBe(true);
    expect(outcomes).toEqual(['request', 'ok']);
  });

  it('rejects on a negative confirmation or a COT 47 answer', async () => {
    const { sent, tracker, answer } = setup();
    const a = tracker.run(setpoint());
    await Promise.resolve();
    answer(sent[0]!, Cot.ACTIVATION_CON, true);
    await expect(a).rejects.toMatchObject({ code: 'WS_ERR_IEC104_COMMAND_REJECTED', message: /cause 7/ });
    const b = tracker.run(setpoint());
    await Promise.resolve();
    await Promise.resolve();
    answer(sent[1]!, Cot.UNKNOWN_IOA, true);
    await expect(b).rejects.toMatchObject({ code: 'WS_ERR_IEC104_COMMAND_REJECTED', message: /cause 47/ });
  });

  it('times out waiting for the confirmation, and again for the termination', async () => {
    const { clock, sent, tracker, answer, outcomes } = setup();
    const a = tracker.run(setpoint());
    const ra = expect(a).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_TIMEOUT',
      message: /confirmation/,
    });
    await clock.advance(1000);
    await ra;
    const b = tracker.run(setpoint());
    const rb = expect(b).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_TIMEOUT',
      message: /termination/,
    });
    await clock.advance(600);
    answer(sent[1]!, Cot.ACTIVATION_CON);
    // The termination gets a full timeout of its own from the confirmation.
    await clock.advance(999);
    await clock.advance(1);
    await rb;
    expect(outcomes.filter((o) => o === 'WS_ERR_IEC104_COMMAND_TIMEOUT')).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it('keeps one activation per type and IOA outstanding; a late select answer does not confirm an execute', async () => {
    const { sent, tracker, answer } = setup();
    const select = tracker.run(setpoint(true, 'con'));
    const execute = tracker.run(setpoint(false, 'term'));
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    answer(sent[0]!, Cot.ACTIVATION_CON);
    await select;
    await Promise.resolve();
    await Promise.resolve();
    expect(sent.map((a) => a.objects[0]?.select)).toEqual([true, false]);
    // A repeated confirmation of the select (S/E = 1) is not the execute's.
    answer(sent[0]!, Cot.ACTIVATION_CON);
    answer(sent[0]!, Cot.ACTIVATION_TERM);
    let done = false;
    const watched = execute.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    answer(sent[1]!, Cot.ACTIVATION_TERM);
    await watched;
  });

  it('fails pending activations when the link is lost, and refuses new ones while it is down', async () => {
    const { tracker } = setup();
    const a = tracker.run(setpoint());
    await Promise.resolve();
    tracker.failAll(Iec104Errors.DISCONNECTED.create(['mem', 'lost']));
    await expect(a).rejects.toMatchObject({ code: 'WS_ERR_IEC104_DISCONNECTED' });
    const down = setup(false);
    await expect(down.tracker.run(setpoint())).rejects.toMatchObject({ code: 'WS_ERR_IEC104_DISCONNECTED' });
    expect(down.outcomes).toEqual(['request', 'WS_ERR_IEC104_DISCONNECTED']);
  });

  it('ignores answers nobody waits for, but claims them so they do not reach the point image', () => {
    const { answer } = setup();
    const gi: Asdu = { typeId: TypeId.C_IC_NA_1, cot: 0, commonAddress: 5, objects: [{ ioa: 0, value: 20 }] };
    expect(answer(gi, Cot.ACTIVATION_TERM)).toBe(true);
    expect(answer(gi, Cot.SPONTANEOUS)).toBe(false);
  });

  it('stops waiting when the caller aborts', async () => {
    const { tracker, clock } = setup();
    const ac = new AbortController();
    const a = tracker.run(setpoint(), ac.signal);
    await Promise.resolve();
    ac.abort(new Error('caller gave up'));
    await expect(a).rejects.toThrow('caller gave up');
    expect(clock.pending).toBe(0);
  });
});
