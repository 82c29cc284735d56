// Placeholder replaced by the benchmark runner.
export {};
