/** Test helpers for driver packages: `import { describeDriverContract } from '@watershed/driver-sdk/testing'`. */
export {
  describeDriverContract,
  type DriverContractFixture,
  type DriverContractOptions,
} from './contract/driver-contract.js';
export { duplexPair } from './transport/duplex-pair.js';
