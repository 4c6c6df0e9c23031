/**
 * The HTTP control plane on the simulator's port: `POST /__sim/fault`, `GET /__sim/status`,
 * `POST /__sim/pause|resume`. CORS is open so the studio page (another origin) can drive it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultError, parseFault } from './faults.ts';
import type { Fault, InjectResult } from './types.ts';

/** What the control plane needs from the running simulator. */
export interface Controllable {
  inject(fault: Fault): InjectResult;
  status(): unknown;
  pause(): void;
  resume(): void;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 65536) reject(new FaultError('body too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** Handle one plain HTTP request (websocket upgrades never come here). */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  sim: Controllable,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  try {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
    } else if (path === '/__sim/status' && req.method === 'GET') {
      reply(res, 200, sim.status());
    } else if (path === '/__sim/fault' && req.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        throw e instanceof FaultError ? e : new FaultError('body is not JSON');
      }
      reply(res, 200, sim.inject(parseFault(body)));
    } else if ((path === '/__sim/pause' || path === '/__sim/resume') && req.method === 'POST') {
      if (path.endsWith('pause')) sim.pause();
      else sim.resume();
      reply(res, 200, { ok: true });
    } else {
      reply(res, 404, { error: `no route ${req.method ?? ''} ${path}` });
    }
  } catch (e) {
    reply(res, e instanceof FaultError ? 400 : 500, { error: (e as Error).message });
  }
}
