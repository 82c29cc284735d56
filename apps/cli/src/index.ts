export { startPlatform, edgeConfigForPlant, type Platform, type PlatformOptions } from './platform.js';
