/**
 * One read cycle: parse the tags, coalesce them into blocks, issue the blocks and decode each tag
 * from its block. Failures become bad-quality samples whose reason is the catalog code; a read
 * never rejects except when the caller aborts it.
 */
import { badSample, goodSample, type Sample } from '@watershed/model';
import type { Clock } from '@watershed/common';
import type { TagRef } from '@watershed/driver-sdk';
import type { ModbusAddress } from '../address.js';
import { FC, type Request } from '../codec/pdu.js';
import { decodeNumber, decodeString } from '../codec/values.js';
import { ModbusErrors } from '../errors.js';
import { planReads, type PlanOptions, type ReadBlock } from '../plan.js';
import type { Exchange } from './session.js';

export type Requester = (unitId: number, request: Request, signal?: AbortSignal) => Promise<Exchange>;
export type AddressResolver = (tag: TagRef) => ModbusAddress | string;

export async function readTags(
  tags: readonly TagRef[],
  resolve: AddressResolver,
  request: Requester,
  clock: Clock,
  plan: PlanOptions,
  signal?: AbortSignal,
): Promise<Sample[]> {
  const samples: Sample[] = new Array<Sample>(tags.length);
  const addresses: ModbusAddress[] = [];
  const slots: number[] = [];
  tags.forEach((tag, i) => {
    const a = resolve(tag);
    if (typeof a === 'string') samples[i] = badSample(clock.now(), ModbusErrors.ADDRESS.code);
    else {
      addresses.push(a);
      slots.push(i);
    }
  });
  const blocks = planReads(addresses, plan);
  await Promise.all(
    blocks.map(async (block) => {
      try {
        const { response } = await request(block.unitId, blockRequest(block), signal);
        const ts = clock.now();
        for (const m of block.members) samples[slots[m]!] = decodeMember(addresses[m]!, block, response, ts);
      } catch (err) {
        if (signal?.aborted) throw err;
        const reason = errorCode(err);
        const ts = clock.now();
        for (const m of block.members) samples[slots[m]!] = badSample(ts, reason);
      }
    }),
  );
  return samples;
}

function blockRequest(b: ReadBlock): Request {
  switch (b.area) {
    case 'coils':
      return { fc: FC.READ_COILS, address: b.address, count: b.count };
    case 'discreteInputs':
      return { fc: FC.READ_DISCRETE_INPUTS, address: b.address, count: b.count };
    case 'inputRegisters':
      return { fc: FC.READ_INPUT_REGISTERS, address: b.address, count: b.count };
    case 'holdingRegisters':
      return { fc: FC.READ_HOLDING_REGISTERS, address: b.address, count: b.count };
  }
}

function decodeMember(
  a: ModbusAddress,
  block: ReadBlock,
  response: Exchange['response'],
  ts: number,
): Sample {
  const offset = a.address - block.address;
  if ('bits' in response) return goodSample(ts, response.bits[offset] === 1);
  if (!('registers' in response)) return badSample(ts, ModbusErrors.FRAME.code);
  const regs = response.registers;
  if (a.dataType === 'bool') return goodSample(ts, (((regs[offset] ?? 0) >> (a.bit ?? 0)) & 1) === 1);
  if (a.dataType === 'string')
    return goodSample(ts, decodeString(regs, offset, a.string!.length, a.string!.mode));
  return goodSample(ts, decodeNumber(a.dataType, regs, offset, a.order));
}

export function errorCode(err: unknown): string {
  if (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('WS_ERR_')
  )
    return err.code;
  return 'WS_ERR_INTERNAL';
}
