export { AlarmsConfig } from './config.js';
export {
  startServerAlarms,
  type SampleFeed,
  type ServerAlarms,
  type ServerAlarmsOptions,
} from './server-alarms.js';
