/**
 * Counter-based pseudo-random numbers: every draw is a pure function of (seed, stream, counter),
 * so the noise on a tag at a given tick is the same on every run with the same seed, whatever
 * else is simulated, in whatever order, and however the ticks are scheduled. No Math.random.
 *
 * The mixer is the 32-bit finaliser of MurmurHash3 (fmix32) applied over the three words —
 * avalanche-complete and plenty for sensor noise; not for cryptography.
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a of a string: a stable stream id for a tag name. */
export function streamOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit hash of the three words. */
export function hash3(seed: number, stream: number, counter: number): number {
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ stream) >>> 0);
  h = fmix32((h + Math.imul(counter >>> 0, 0x27d4eb2f) + Math.floor(counter / 0x1_0000_0000)) >>> 0);
  return h;
}

/** Uniform in the open interval (0, 1). */
export function uniform(seed: number, stream: number, counter: number): number {
  return (hash3(seed, stream, counter) + 0.5) / 0x1_0000_0000;
}

/** Standard normal draw (Box–Muller over two independent uniforms). */
export function gaussian(seed: number, stream: number, counter: number): number {
  const u1 = uniform(seed, stream, counter * 2);
  const u2 = uniform(seed, stream, counter * 2 + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
