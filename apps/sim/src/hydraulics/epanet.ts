import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as epanetJs from 'epanet-js';
import * as engine from 'epanet-js/engines/v2.3.5';
import { SimErrors } from '../errors.js';
import type { EpanetEngineModule, EpanetJs, EpanetToolkit, EpanetWorkspace } from './toolkit-api.js';

const { Workspace, Project } = declared<EpanetJs>(epanetJs);
const { EpanetEngine } = declared<EpanetEngineModule>(engine);

/** Gives a module whose published types do not resolve (see toolkit-api.ts) the type we declared. */
function declared<T>(module: unknown): T {
  return module as T;
}

/**
 * The engine build we run: OWA-EPANET 2.3.5, which has the batch getters
 * (EN_getnodevalues/EN_getlinkvalues) and EN_setcontrolenabled that the simulator relies on.
 */
const ENGINE = 'epanet-js/engines/v2.3.5';

/** An open EPANET project together with the virtual file system it lives in. */
export interface EpanetModel {
  readonly name: string;
  readonly project: EpanetToolkit;
  readonly workspace: EpanetWorkspace;
  close(): void;
}

/**
 * Loads the EPANET engine and opens a network file. Under Node the Emscripten loader cannot
 * fetch its `.wasm` by URL, so the bytes are read here and handed over as `wasmBinary`.
 * Every model gets its own Workspace (own wasm instance), so models never share state.
 */
export async function openEpanetModel(inpPath: string): Promise<EpanetModel> {
  const name = basename(inpPath).replace(/\.inp$/i, '');
  const [wasm, inp] = await Promise.all([readFile(engineWasmPath()), readFile(inpPath)]);
  const workspace = new Workspace();
  await workspace.loadModuleVersion(() => EpanetEngine({ wasmBinary: wasm }));
  const project = new Project(workspace);
  const file = `${name}.inp`;
  workspace.writeFile(file, new Uint8Array(inp));
  epanetCall(`opening ${name}`, () => project.open(file, `${name}.rpt`, ''));
  let open = true;
  return {
    name,
    project,
    workspace,
    close() {
      if (!open) return;
      open = false;
      epanetCall(`closing ${name}`, () => project.close());
    },
  };
}

/** Runs a toolkit call, turning epanet-js's plain Error into a catalog error naming the step. */
export function epanetCall<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw SimErrors.EPANET.create([what, (err as Error).message], { epanet: (err as Error).message }, err);
  }
}

function engineWasmPath(): string {
  // The package's `require` condition resolves to index.cjs, which sits beside the wasm file.
  const entry = createRequire(import.meta.url).resolve(ENGINE);
  return join(dirname(entry), 'EpanetEngine.wasm');
}
