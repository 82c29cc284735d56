export { FakeClock } from './fake-clock.js';
export { freePort, waitFor } from './wait.js';
