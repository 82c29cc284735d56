/**
 * Builds the write request for one tag and value: FC 5 for a coil, FC 6 for a single holding
 * register, FC 16 for values spanning several registers (int32, float, strings …) so that both
 * halves change in one transaction (Application Protocol V1.1b3 §6.5, §6.6, §6.12).
 */
import type { SampleValue } from '@watershed/model';
import { whyNotWritable, type ModbusAddress } from '../address.js';
import { FC, LIMITS, type Request } from '../codec/pdu.js';
import { checkValue, encodeValue } from '../codec/values.js';
import { ModbusErrors } from '../errors.js';

export function writeRequest(text: string, a: ModbusAddress, value: SampleValue): Request {
  const refuse = (why: string): Error => ModbusErrors.WRITE_VALUE.create([JSON.stringify(value), text, why]);
  const notWritable = whyNotWritable(a);
  if (notWritable) throw refuse(notWritable);
  const problem = checkValue(a.dataType, value);
  if (problem || value === null) throw refuse(problem ?? 'null cannot be written');
  if (a.area === 'coils')
    return { fc: FC.WRITE_SINGLE_COIL, address: a.address, value: value === true || value === 1 };
  const words = encodeValue(a.dataType, value, a.string?.mode ?? a.order, a.string?.length);
  if (words.length > LIMITS.writeRegisters)
    throw refuse(`${words.length} registers exceed one write (${LIMITS.writeRegisters})`);
  if (words.length === 1) return { fc: FC.WRITE_SINGLE_REGISTER, address: a.address, value: words[0]! };
  return { fc: FC.WRITE_MULTIPLE_REGISTERS, address: a.address, values: words };
}
