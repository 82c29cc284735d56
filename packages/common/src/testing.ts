export { FakeClock } from './fake-clock.js';
export { TcpProxy } from './tcp-proxy.js';
export { freePort, waitFor } from './wait.js';
