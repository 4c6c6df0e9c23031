/**
 * The exchange simulator: one HTTP server on 127.0.0.1 whose websocket upgrades are routed by path
 * to venue protocol modules, all driven by one seeded market paced to wall-clock time, plus the
 * fault-injection control plane (`/__sim/*`). Node only.
 */
import { createServer, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { OrderBook } from '../../src/core/orderBook/OrderBook.ts';
import { SimConnection } from './connection.ts';
import { handleControl } from './control.ts';
import { applyFault, type Refusal } from './faults.ts';
import { MarketDriver } from './market.ts';
import { replayVenue, replayVenueOf } from './replay.ts';
import type { ConnectionInfo, Fault, InjectResult, VenueId } from './types.ts';
import type { VenueModule } from './VenueModule.ts';
import { createVenues } from './venues/index.ts';

export interface ExchangeSimOptions {
  /** TCP port; 0 picks a free one (tests). Default 8765. */
  readonly port?: number;
  readonly host?: string;
  /** Market seed (default 1). */
  readonly seed?: number;
  /** Seed symbols, `BASE-QUOTE` (default BTC-USDT, ETH-USDT); perps map onto the same books. */
  readonly symbols?: readonly string[];
  /** Market timer period in ms (default 25). */
  readonly tickMs?: number;
  /** Mean seconds between market steps over all symbols (default 0.005). */
  readonly meanIntervalSec?: number;
  /** Replay a fixture capture to every client of its venue instead of simulating that venue. */
  readonly replay?: { readonly file: string; readonly intervalMs?: number };
  /** Diagnostics (one line each). */
  readonly log?: (line: string) => void;
}

/** A running simulator. */
export interface ExchangeSim {
  readonly port: number;
  /** `ws://127.0.0.1:<port>`: pass as a VenueFeed's `endpointOverride`. */
  readonly url: string;
  close(): Promise<void>;
  inject(fault: Fault): InjectResult;
  connections(): ConnectionInfo[];
  status(): Record<string, unknown>;
  /** Stop the market and push every batched stream, so clients converge on the true books. */
  pause(): void;
  resume(): void;
  /** The true book of a seed symbol (a copy). */
  book(symbol: string): OrderBook;
}

/** Start the simulator; resolves once it listens. */
export async function startExchangeSim(o: ExchangeSimOptions = {}): Promise<ExchangeSim> {
  const seed = o.seed ?? 1;
  const symbols = o.symbols ?? ['BTC-USDT', 'ETH-USDT'];
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? (() => {});
  const startedAt = Date.now();
  const market = new MarketDriver({
    seed,
    symbols,
    nowSec: startedAt / 1000,
    ...(o.meanIntervalSec !== undefined ? { meanIntervalSec: o.meanIntervalSec } : {}),
  });
  const modules: VenueModule[] = createVenues(market);
  if (o.replay) {
    const venue = replayVenueOf(o.replay.file);
    const i = modules.findIndex((m) => m.id === venue);
    if (i < 0) throw new Error(`${o.replay.file}: no simulated venue replays this capture`);
    const r = replayVenue(o.replay.file, o.replay.intervalMs ?? 200, modules[i]!.accepts);
    modules[i] = r;
    log(`replaying ${o.replay.file} to ${r.id} clients`);
  }
  const conns = new Map<number, SimConnection>();
  const refusals = new Map<VenueId, Refusal>();
  const refused = new Map<VenueId, number>();
  let nextId = 0;
  const wss = new WebSocketServer({ noServer: true });

  const sim: ExchangeSim = {
    port: 0,
    url: '',
    close,
    inject: (f) => applyFault(f, conns.values(), refusals),
    connections: () => [...conns.values()].map((c) => c.info()),
    status,
    pause() {
      market.pause(Date.now() / 1000);
      for (const m of modules) m.tick([], Date.now(), true);
    },
    resume: () => market.resume(Date.now() / 1000),
    book(symbol) {
      const b = market.books.get(symbol);
      if (!b) throw new RangeError(`symbol '${symbol}' is not simulated`);
      return { bids: b.bids.slice(), asks: b.asks.slice() };
    },
  };

  const server = createServer((req, res) => void handleControl(req, res, sim));
  server.on('upgrade', (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const mod = modules.find((m) => m.accepts(url.pathname));
    if (!mod) return reject(socket, 404);
    const r = refusals.get(mod.id);
    if (r && Date.now() < r.until) {
      refused.set(mod.id, (refused.get(mod.id) ?? 0) + 1);
      return reject(socket, r.status);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new SimConnection(++nextId, mod.id, url.pathname + url.search, ws);
      conns.set(conn.id, conn);
      ws.on('error', () => {}); // a client vanishing is normal; 'close' follows
      ws.on('close', () => {
        conns.delete(conn.id);
        guard(() => mod.closed(conn));
      });
      ws.on('message', (data, isBinary) => {
        conn.received++;
        if (!isBinary) guard(() => mod.message(conn, String(data)));
      });
      guard(() => mod.open(conn, url));
    });
  });

  function guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log(`venue module error: ${(e as Error).stack ?? String(e)}`);
    }
  }

  const timer = setInterval(() => {
    const now = Date.now();
    const events = market.advance(now / 1000);
    for (const m of modules) guard(() => m.tick(events, now, false));
    for (const c of conns.values()) c.pump(now);
  }, o.tickMs ?? 25);

  function status(): Record<string, unknown> {
    const now = Date.now();
    const cpu = process.cpuUsage();
    const venues: Record<string, unknown> = {};
    for (const m of modules) {
      const r = refusals.get(m.id);
      venues[m.id] = {
        connections: [...conns.values()].filter((c) => c.venue === m.id).length,
        refusing: r && now < r.until ? { status: r.status, untilMs: r.until } : null,
        refusedUpgrades: refused.get(m.id) ?? 0,
      };
    }
    return {
      url: sim.url,
      seed,
      symbols,
      paused: market.paused,
      uptimeSec: (now - startedAt) / 1000,
      market: { events: market.events, l2Events: Object.fromEntries(market.l2Count) },
      cpu: { userSec: cpu.user / 1e6, systemSec: cpu.system / 1e6 },
      venues,
      connections: sim.connections(),
    };
  }

  async function close(): Promise<void> {
    clearInterval(timer);
    for (const c of conns.values()) c.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(o.port ?? 8765, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return Object.assign(sim, { port, url: `ws://${host}:${port}` });
}

/** Refuse an upgrade with a bare HTTP response (what geo-blocking CDNs send). */
function reject(socket: Duplex, status: number): void {
  // The client aborts as soon as it reads the status (ws terminate): the reset that follows is
  // expected, and an 'error' with no listener would crash the simulator (and the test process).
  socket.on('error', () => {});
  const body =
    status === 451 || status === 403 ? 'Service unavailable from a restricted location' : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
