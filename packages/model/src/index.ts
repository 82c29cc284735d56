export * from './names.js';
export * from './sample.js';
export * from './site.js';
export * from './point.js';
export * from './meter.js';
export * from './alarm.js';
export * from './uplink.js';
export * from './topics.js';
