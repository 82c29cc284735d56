"""A Modbus TCP server from pymodbus, an independent peer for the driver's tests.

Usage: /usr/bin/python3 pymodbus_server.py PORT [rtu]
With "rtu" the server speaks RTU frames over TCP (pymodbus's RTU framer), as a serial device
behind a transparent serial server does.
Unit 1 holds known values (see FIXTURE below); the process serves until it is killed.
It prints READY once listening is about to start; the test still waits for the port to accept.
"""
import logging
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer
from pymodbus.transaction import ModbusRtuFramer


def words_be(fmt, value):
    raw = struct.pack(">" + fmt, value)
    return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]


def main():
    port = int(sys.argv[1])
    rtu = len(sys.argv) > 2 and sys.argv[2] == "rtu"
    logging.basicConfig(level=logging.ERROR)
    holding = [0] * 200
    holding[0] = 1234                               # 1!400001 uint16
    holding[1] = 0xFFFE                             # 1!400002 int16 = -2
    holding[2:4] = words_be("f", 21.5)              # 1!400003 float, default #LL
    holding[4:6] = list(reversed(words_be("i", -100000)))  # 1!400005#BL int32
    holding[10:14] = words_be("d", 1013.25)         # 1!400011 double
    inputs = [0] * 100
    inputs[0] = 42                                  # 1!300001
    coils = [0] * 64
    coils[2] = 1                                    # 1!000003
    discrete = [0] * 64
    discrete[5] = 1                                 # 1!100006
    # zero_mode: data block index = wire address (pymodbus otherwise adds 1).
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, discrete),
        co=ModbusSequentialDataBlock(0, coils),
        hr=ModbusSequentialDataBlock(0, holding),
        ir=ModbusSequentialDataBlock(0, inputs),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={1: unit}, single=False)
    print("READY", flush=True)
    # Reuse the address: a restarted peer must bind while the killed one's sockets sit in TIME_WAIT.
    kwargs = {"framer": ModbusRtuFramer} if rtu else {}
    StartTcpServer(context=context, address=("127.0.0.1", port), allow_reuse_address=True, **kwargs)


if __name__ == "__main__":
    main()
