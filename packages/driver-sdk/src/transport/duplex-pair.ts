import { Duplex } from 'node:stream';

/**
 * Two connected in-memory Duplex ends, like a serial cable (Node 20 has no stream.duplexPair):
 * what one end writes the other reads. Destroying one end ends the other.
 */
export function duplexPair(): [Duplex, Duplex] {
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        peer().push(chunk);
        cb();
      },
      destroy(err, cb) {
        const other = peer();
        if (!other.destroyed) other.push(null);
        cb(err);
      },
    });
  const a: Duplex = make(() => b);
  const b: Duplex = make(() => a);
  return [a, b];
}
