/**
 * EPANET toolkit codes, as defined in OWA-EPANET's `include/epanet2_enums.h` (2.2/2.3).
 * epanet-js ships the same enums at run time, but its type declarations import them through
 * directory paths that NodeNext resolution rejects, so the values are spelled out here once.
 */
export const CountType = { NodeCount: 0, TankCount: 1, LinkCount: 2, ControlCount: 5 } as const;

export const NodeType = { Junction: 0, Reservoir: 1, Tank: 2 } as const;
export type NodeType = (typeof NodeType)[keyof typeof NodeType];

export const LinkType = {
  CVPipe: 0,
  Pipe: 1,
  Pump: 2,
  PRV: 3,
  PSV: 4,
  PBV: 5,
  FCV: 6,
  TCV: 7,
  GPV: 8,
} as const;
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

export const NodeProperty = {
  Elevation: 0,
  BaseDemand: 1,
  Emitter: 3,
  Initqual: 4,
  SourceQual: 5,
  SourceType: 7,
  TankLevel: 8,
  Demand: 9,
  Head: 10,
  Pressure: 11,
  Quality: 12,
  TankDiam: 17,
  MinLevel: 20,
  MaxLevel: 21,
  TankKBulk: 23,
} as const;

export const LinkProperty = {
  Diameter: 0,
  InitStatus: 4,
  InitSetting: 5,
  KBulk: 6,
  KWall: 7,
  Flow: 8,
  Velocity: 9,
  Status: 11,
  Setting: 12,
} as const;

export const QualityType = { None: 0, Chem: 1, Age: 2, Trace: 3 } as const;

export const ControlType = { LowLevel: 0, HiLevel: 1, Timer: 2, TimeOfDay: 3 } as const;

export const TimeParameter = {
  Duration: 0,
  HydStep: 1,
  QualStep: 2,
  PatternStep: 3,
  PatternStart: 4,
  ReportStep: 5,
  ReportStart: 6,
  StartTime: 10,
  HTime: 11,
  QTime: 12,
} as const;

export const InitHydOption = { NoSave: 0, Save: 1 } as const;

export const FlowUnits = {
  CFS: 0,
  GPM: 1,
  MGD: 2,
  IMGD: 3,
  AFD: 4,
  LPS: 5,
  LPM: 6,
  MLD: 7,
  CMH: 8,
  CMD: 9,
  CMS: 10,
} as const;

export const OptionCode = { Trials: 0, Accuracy: 1, Tolerance: 2, Emitexpon: 3, DemandMult: 4 } as const;
