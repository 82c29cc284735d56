/**
 * Small plant-physics models for readings the hydraulic model does not give. Each is plausible
 * rather than exact: a utility's analytics should see the right shapes and couplings (current
 * follows flow and head, temperatures lag the load, counters only grow), not a motor design.
 */

/** Specific weight of water, kN/m³: hydraulic power kW = ρg · Q (m³/s) · H (m). */
const RHO_G = 9.81;

/** Hydraulic (water) power of a pump delivering `flowM3h` against `headM`, kW; never negative. */
export function hydraulicKw(flowM3h: number, headM: number): number {
  return flowM3h > 0 && headM > 0 ? (flowM3h / 3600) * headM * RHO_G : 0;
}

/**
 * Wire-to-water efficiency of a centrifugal set at a load fraction (0–1.2 of its best-efficiency
 * flow): a parabola peaking at `best` (0.72 typical for a municipal set incl. motor and drive)
 * at full load, falling off at part load (Europump/Hydraulic Institute pump-system guides).
 */
export function setEfficiency(loadFraction: number, best = 0.72): number {
  const x = Math.min(Math.max(loadFraction, 0.05), 1.3);
  return Math.max(0.2, best * (1 - 0.9 * (x - 1) * (x - 1)));
}

/** Line current of a three-phase motor, A: I = P / (√3 · U · cos φ). */
export function lineCurrentA(kw: number, volts: number, powerFactor: number): number {
  return kw > 0 ? (kw * 1000) / (Math.sqrt(3) * volts * powerFactor) : 0;
}

/** Power factor of an induction motor at a load fraction: poor at light load, ~0.87 at rated. */
export function motorPowerFactor(loadFraction: number): number {
  if (loadFraction <= 0) return 0;
  return Math.min(0.89, 0.35 + 0.52 * Math.sqrt(Math.min(loadFraction, 1.2)));
}

/**
 * A first-order lag (thermal mass): the output moves toward the target with time constant
 * `tauS`. Starts at the first target given, so a fresh run starts settled. Exact for a target
 * held over each interval, whatever the interval, so skipped ticks change nothing.
 */
export function lag(tauS: number): (target: number, t: number) => number {
  let y = NaN;
  let last = NaN;
  return (target, t) => {
    if (Number.isNaN(y)) {
      y = target;
    } else if (t > last) {
      y = target + (y - target) * Math.exp(-(t - last) / tauS);
    }
    last = t;
    return y;
  };
}

/**
 * A counter integrating a rate per hour (kWh from kW, m³ from m³/h, hours from 1 while running),
 * by the trapezoid rule between calls, starting from `initial`. Never decreases.
 */
export function integrator(initial: number): (ratePerHour: number, t: number) => number {
  let total = initial;
  let lastT = NaN;
  let lastRate = 0;
  return (rate, t) => {
    const r = Math.max(0, rate);
    if (!Number.isNaN(lastT) && t > lastT) total += ((lastRate + r) / 2) * ((t - lastT) / 3600);
    lastT = t;
    lastRate = r;
    return total;
  };
}

/** Counts rising edges of a condition (pump starts), starting from `initial`. */
export function edgeCounter(initial: number): (on: boolean) => number {
  let count = initial;
  let was: boolean | undefined;
  return (on) => {
    if (on && was === false) count++;
    was = on;
    return count;
  };
}

/** Daily temperature swing, °C: minimum around 05:00, maximum around 15:00. */
export function dailyTemperature(t: number, mean: number, swing: number): number {
  const hour = (((t % 86_400) + 86_400) % 86_400) / 3600;
  return mean + swing * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
}

/** A bit word from flags, bit 0 first (a PLC status/alarm word). */
export function word(...bits: boolean[]): number {
  let w = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i]) w |= 1 << i;
  return w;
}
