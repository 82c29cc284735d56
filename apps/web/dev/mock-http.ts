import type { IncomingMessage, ServerResponse } from 'node:http';

/** What each group of mock routes is: it answers or leaves the request to the next. */
export type MockRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
