/**
 * The part of the EPANET toolkit (as wrapped by epanet-js's `Project`) the simulator uses, typed
 * here because epanet-js's declarations reach their enums and engine types through directory
 * imports that NodeNext resolution rejects, leaving the whole class unresolved for the type
 * checker. Each method is the camel-cased EN_* function of the OWA-EPANET 2.3 toolkit API.
 */
export interface EpanetToolkit {
  open(inputFile: string, reportFile: string, outputFile: string): void;
  close(): void;
  getCount(countType: number): number;
  getFlowUnits(): number;
  getNodeIndex(id: string): number;
  getNodeId(index: number): string;
  getNodeType(index: number): number;
  getNodeValue(index: number, property: number): number;
  setNodeValue(index: number, property: number, value: number): void;
  getNodeValues(property: number): number[];
  getLinkIndex(id: string): number;
  getLinkId(index: number): string;
  getLinkType(index: number): number;
  getLinkNodes(index: number): { node1: number; node2: number };
  getLinkValue(index: number, property: number): number;
  setLinkValue(index: number, property: number, value: number): void;
  getLinkValues(property: number): number[];
  getQualityInfo(): { qualType: number; chemName: string; chemUnits: string; traceNode: number };
  setQualityType(qualType: number, chemName: string, chemUnits: string, traceNode: string): void;
  getControl(index: number): {
    type: number;
    linkIndex: number;
    setting: number;
    nodeIndex: number;
    level: number;
  };
  setControl(
    index: number,
    type: number,
    linkIndex: number,
    setting: number,
    nodeIndex: number,
    level: number,
  ): void;
  setControlEnabled(index: number, enabled: number): void;
  getOption(option: number): number;
  getTimeParameter(param: number): number;
  setTimeParameter(param: number, value: number): void;
  openH(): void;
  initH(initFlag: number): void;
  runH(): number;
  nextH(): number;
  closeH(): void;
  openQ(): void;
  initQ(initFlag: number): void;
  runQ(): number;
  nextQ(): number;
  closeQ(): void;
}

/** epanet-js's virtual file system, holding the input file for the engine. */
export interface EpanetWorkspace {
  loadModuleVersion(engine: () => Promise<unknown>): Promise<void>;
  writeFile(path: string, data: string | Uint8Array): void;
}

export interface EpanetJs {
  Workspace: new () => EpanetWorkspace;
  Project: new (workspace: EpanetWorkspace) => EpanetToolkit;
}

export interface EpanetEngineModule {
  EpanetEngine: (options: { wasmBinary: Uint8Array }) => Promise<unknown>;
}
