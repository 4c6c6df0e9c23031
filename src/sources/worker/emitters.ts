import type { Event } from '../../core/events.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import type { EmitterFactory, EmitterLike } from '../../runtime/workerTypes.ts';
import { emptyCounters, type FeedStatus } from '../connection/FeedStatus.ts';
import type { SocketLike } from '../connection/SocketLike.ts';
import { featureRouteKey, routeKey } from '../DataSourceEventEmitter.ts';
import { ExchangeEventEmitter } from '../ExchangeEventEmitter.ts';
import type { RecordingSink } from '../RecordingLine.ts';
import { SIM_EXCHANGE, SimulatedEventEmitter } from '../sim/SimulatedEventEmitter.ts';
import { feedIncidents } from './feedMarkers.ts';

/** What the main thread tells a worker's emitters (`WorkerConfig.emitterOptions`). */
export interface WorkerEmitterOptions {
  /** Venue id (e.g. `KRAKEN`) → origin replacing the venue's (the exchange simulator's). */
  readonly endpointOverrides?: Readonly<Record<string, string>>;
  /**
   * Record this run: read by the worker entry's tap factory (`src/recording/RecordingFeed.ts`), not
   * here. Opaque to sources, which never import `recording` (recording sits above sources).
   */
  readonly record?: unknown;
}

/**
 * A worker tap that wants the raw lines of the sources it serves (a recorder). Structural, so the
 * emitters feed it without knowing who it is: the dependency points from recording to sources.
 */
export interface RawLineTap {
  /** Handed to the emitters as their `record` sink. */
  readonly frames: RecordingSink;
}

function rawLines(tap: unknown): RecordingSink | undefined {
  if (typeof tap !== 'object' || tap === null || !('frames' in tap)) return undefined;
  const frames = (tap as RawLineTap).frames;
  return typeof frames === 'function' ? frames : undefined;
}

/** How often synthetic sources generate (they are pure functions of a time interval). */
const SYNTHETIC_MS = 200;

/**
 * The live emitters of a stream worker: the simulated market for `SIM` sources, exchange feeds
 * (over the thread's global WebSocket, honouring endpoint overrides) for venues, a timer for
 * synthetic sources. Each emitter gets only the sources it serves: a worker registers every source
 * on every emitter it returns, so they are split here. Feed statuses go up with the worker's
 * telemetry, and status changes become incidents through `report`.
 */
export const workerEmitters: EmitterFactory = (sources, options, report, tap): EmitterLike[] => {
  const o = (options ?? {}) as WorkerEmitterOptions;
  const record = rawLines(tap);
  const synthetic = sources.filter((f) => f.definition.kind === 'source' && f.definition.generate);
  const rest = sources.filter((f) => !synthetic.includes(f));
  const sim = rest.filter((f) => f.params.exchange === SIM_EXCHANGE);
  const venues = rest.filter((f) => f.params.exchange !== SIM_EXCHANGE);
  const out: EmitterLike[] = [];
  if (sim.length > 0) {
    const em = new SimulatedEventEmitter(record ? { record: servedSimLines(sim, record) } : {});
    out.push({ ...only(em, sim), statuses: () => simStatus(em.generated) });
  }
  if (venues.length > 0) {
    const socketFactory = (url: string): SocketLike =>
      new (globalThis as unknown as { WebSocket: new (u: string) => SocketLike }).WebSocket(url);
    const ex = new ExchangeEventEmitter({
      socketFactory,
      ...(o.endpointOverrides ? { endpointOverrides: o.endpointOverrides } : {}),
      ...(report ? { onStatus: feedIncidents(report) } : {}),
      ...(record ? { record } : {}),
    });
    out.push({ ...only(ex, venues), statuses: () => ex.statuses() });
  }
  if (synthetic.length > 0) out.push(syntheticEmitter(synthetic));
  return out;
};

/**
 * Each worker runs its own Simulated market for the symbols it serves, which generates every
 * channel of them: record only the events this worker's sources consume, so the merged recording
 * holds exactly what each worker's graph saw (another worker's market feeds the other channels).
 */
function servedSimLines(served: readonly Feature[], record: RecordingSink): RecordingSink {
  const routes = new Set(served.map(featureRouteKey));
  return (line) => {
    if (!('event' in line)) return record(line);
    const e = line.event;
    if (routes.has(routeKey(e.exchange, e.channel, e.symbol))) record(line);
  };
}

/**
 * The simulated market is always live: one status so the studio lists it among the feeds, its
 * message counter the events it generated (so Feed health shows its rate like a venue's).
 */
function simStatus(messages: number): FeedStatus[] {
  return [
    {
      exchange: SIM_EXCHANGE,
      urls: [],
      state: 'live',
      counters: { ...emptyCounters(), messages },
      at: now(),
    },
  ];
}

function only(emitter: EmitterLike, served: readonly Feature[]): EmitterLike {
  const keys = new Set(served.map((f) => f.key));
  return {
    registerCallback: (f, cb) => {
      if (keys.has(f.key)) emitter.registerCallback(f, cb);
    },
    start: () => emitter.start(),
    stop: () => emitter.stop(),
  };
}

/** Synthetic sources, generated over each elapsed interval of wall-clock time. */
function syntheticEmitter(served: readonly Feature[]): EmitterLike {
  const keys = new Set(served.map((f) => f.key));
  const routes: [Feature, (f: Feature, e: Event) => void][] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    registerCallback: (f, cb) => {
      if (keys.has(f.key)) routes.push([f, cb]);
    },
    start: () => {
      let from = now();
      let lastTs = -Infinity;
      timer = setInterval(() => {
        const to = now();
        for (const [f, cb] of routes) {
          const def = f.definition;
          if (def.kind !== 'source' || !def.generate) continue;
          // Intervals are inclusive at both ends: skip what the previous tick already emitted.
          for (const e of def.generate(f.params, from, to)) if (e.timestamp > lastTs) cb(f, e);
        }
        lastTs = to;
        from = to;
      }, SYNTHETIC_MS);
    },
    stop: () => clearInterval(timer),
  };
}

const now = (): number => Date.now() / 1000;
