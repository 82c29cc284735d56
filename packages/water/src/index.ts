// Domain analytics of a water utility: GB 5749 compliance, data-quality checks, DMA balance and
// minimum-night-flow leaks, meter health. Pure functions over samples; no I/O.
export {};
