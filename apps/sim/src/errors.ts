import { defineError } from '@watershed/common';

/** The simulator's error catalog; programs decide on `code`, operators read the message. */
export const SimErrors = {
  /** The network directory or `.inp` file cannot be found or read. */
  NETWORK_NOT_FOUND: defineError('WS_ERR_SIM_NETWORK_NOT_FOUND', 404, 'network model %s not found in %s'),
  /** EPANET rejected the model or a toolkit call; details.epanet carries the toolkit message. */
  EPANET: defineError('WS_ERR_SIM_EPANET', 500, 'EPANET failed while %s: %s'),
  /** A plant or tag refers to a node or link the network does not have. */
  UNKNOWN_ELEMENT: defineError('WS_ERR_SIM_UNKNOWN_ELEMENT', 400, '%s "%s" does not exist in network %s'),
  /** The extended-period run reached the end of its configured duration. */
  RUN_ENDED: defineError('WS_ERR_SIM_RUN_ENDED', 500, 'hydraulic run of %s ended at %s s'),
  /** A plant definition is inconsistent (duplicate tag, overlapping registers, bad address). */
  PLANT_INVALID: defineError('WS_ERR_SIM_PLANT_INVALID', 400, 'plant %s is invalid: %s'),
  /** No plant with that id is served by this simulator. */
  UNKNOWN_PLANT: defineError('WS_ERR_SIM_UNKNOWN_PLANT', 404, 'no plant "%s" (plants: %s)'),
  /** A value written by a client cannot be applied (read-only point, out of range). */
  WRITE_REJECTED: defineError('WS_ERR_SIM_WRITE_REJECTED', 400, 'write to %s rejected: %s'),
  /** A scenario event injected at run time does not match ScenarioEvent. */
  BAD_EVENT: defineError('WS_ERR_SIM_BAD_EVENT', 400, 'invalid scenario event:\n%s'),
  /** A scenario or time-of-day text does not parse. */
  BAD_TIME: defineError('WS_ERR_SIM_BAD_TIME', 400, 'invalid time "%s": expected HH:MM or HH:MM:SS'),
  /** No shipped scenario file of that name. */
  UNKNOWN_SCENARIO: defineError('WS_ERR_SIM_UNKNOWN_SCENARIO', 404, 'no scenario "%s" in %s'),
} as const;
