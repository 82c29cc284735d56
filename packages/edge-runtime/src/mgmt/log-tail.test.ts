import { createLogger } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { LogTail } from './log-tail.js';

describe('LogTail', () => {
  it('keeps the last warn+ lines a pino logger writes, with their context, and counts the rest', () => {
    const tail = new LogTail({ size: 3 });
    const echoed: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: tail.tee({ write: (s) => echoed.push(s) }) as never,
    });
    logger.info('started');
    logger.child({ device: 'plc' }).warn({ code: 'WS_ERR_MODBUS_TIMEOUT' }, 'read timed out');
    logger.error({ err: new Error('boom') }, 'failed');
    logger.warn('w2');
    logger.warn('w3');
    expect(echoed).toHaveLength(5); // everything still reaches the real destination
    expect(tail.lines().map((l) => l.msg)).toEqual(['failed', 'w2', 'w3']);
    expect(tail.dropped).toBe(1);
    expect(tail.revision).toBe(4);
    expect(tail.lines()[0]).toMatchObject({ level: 'error', context: { err: 'boom' } });
    expect(tail.lines()[0]!.ts).toBeGreaterThan(1_600_000_000_000);
  });

  it('keeps context short and ignores what is not a JSON line', () => {
    const tail = new LogTail({ size: 10, level: 'info' });
    tail.write('not json\n');
    tail.write(JSON.stringify({ level: 30, time: 5, msg: 'x'.repeat(1000), device: 'plc' }) + '\n');
    expect(tail.lines()).toHaveLength(1);
    expect(tail.lines()[0]!.msg.length).toBe(300);
    expect(tail.lines()[0]).toMatchObject({ ts: 5, level: 'info', context: { device: 'plc' } });
  });
});
