import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built console SPA (`npm run build` makes it); undefined when it has not been built. */
export function defaultWebRoot(): string | undefined {
  const dir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

export const VERSION = '0.1.0';
