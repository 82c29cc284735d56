export { ServerConfig } from './config.js';
export { checkServerConfig } from './check-config.js';
export { Ingest, type IngestStats, type MessageSource } from './ingest.js';
export { SeqTracker, type SeqStats } from './seq-tracker.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
export { startBridges, BridgesConfig, type RunningBridges, type BridgeHealth } from './bridges/index.js';
