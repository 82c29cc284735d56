/** Test support for other packages' tests: Debian's Mosquitto as a remote broker. */
export {
  startMosquitto,
  requireMosquitto,
  MOSQUITTO,
  type Mosquitto,
  type MosquittoOptions,
} from './mosquitto.js';
