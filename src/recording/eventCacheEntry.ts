import { routeKey } from '../sources/DataSourceEventEmitter.ts';
import { EventPacker, type PackedEvents } from '../runtime/ReplayEventPack.ts';
import type { EventsChunk } from '../storage/recordingEvents.ts';
import type {
  RecordingChunk,
  RecordingEventsEntry,
  RecordingRouteEventsEntry,
} from '../storage/recordingTypes.ts';
import type { RecordingDecoder } from './RecordingDecoder.ts';

/**
 * Version of what `RecordingDecoder` (with every venue adapter) makes of recorded lines. The
 * decoded-events cache is keyed by it: bump it whenever an adapter or the decoder changes what
 * a line decodes to (`eventCache.test.ts` pins the fixtures' decoded output to this number, so
 * a change without a bump fails there). A bump leaves older entries unused, never wrong.
 */
export const DECODER_VERSION = 1;

const NO_TS = new Float64Array(0);

/**
 * Chunk `c`'s lines decoded by `decoder` (in the state before its first line): the chunk's entry
 * (routes, line times), one packed entry per route with events, each event numbered by its
 * ordinal among all the chunk's events, and the decoder's state after the chunk. Undefined when an
 * adapter cannot snapshot (no cache then). A bad line throws the decoder's `RecordingLineError`.
 */
export function decodeChunk(
  decoder: RecordingDecoder,
  c: RecordingChunk,
  version = DECODER_VERSION,
): EventsChunk | undefined {
  const packers = new Map<string, EventPacker>();
  let events = 0;
  for (let k = 0; k < c.lines.length; k++) {
    for (const p of packers.values()) p.line(c.ts[k]!);
    for (const m of decoder.push(c.lines[k]!, c.line0 + k + 1)) {
      const key = routeKey(m.exchange, m.channel, m.symbol);
      let p = packers.get(key);
      if (!p) {
        // A route first seen at line k: its packer gets the lines before (they have no events).
        p = new EventPacker(c.line0);
        for (let j = 0; j <= k; j++) p.line(c.ts[j]!);
        packers.set(key, p);
      }
      p.event(events++, m.event);
    }
  }
  const stateEnd = decoder.snapshot();
  if (stateEnd === undefined) return undefined;
  const { recordingId, seq, line0 } = c;
  const routes: RecordingRouteEventsEntry[] = [];
  for (const [route, p] of packers) {
    const { packed } = p.finish();
    routes.push({ recordingId, version, route, seq, packed: { ...packed, ts: NO_TS } });
  }
  const entry: RecordingEventsEntry = {
    recordingId,
    version,
    seq,
    line0,
    routes: [...packers.keys()],
    events,
    ts: Float64Array.from(c.ts),
    nextSeq: seq + 1,
  };
  return { entry, routes, state: { recordingId, version, seq, state: stateEnd } };
}

/** Lines of a chunk entry (its line times). */
export const entryLines = (e: RecordingEventsEntry): number =>
  e.ts instanceof Float64Array ? e.ts.length : -1;

/**
 * Entry `e` if it has the shape {@link decodeChunk} writes for a chunk starting at `line0`
 * (line times, routes as strings, a later next chunk); undefined otherwise (a reader then reads
 * that chunk's frames).
 */
export function validEntry(
  e: RecordingEventsEntry | undefined,
  line0: number,
): RecordingEventsEntry | undefined {
  if (!e || typeof e !== 'object' || e.line0 !== line0) return undefined;
  if (typeof e.nextSeq !== 'number' || !(e.nextSeq > e.seq)) return undefined;
  if (!(e.ts instanceof Float64Array) || !Number.isInteger(e.events) || e.events < 0)
    return undefined;
  if (!Array.isArray(e.routes) || !e.routes.every((r) => typeof r === 'string')) return undefined;
  return e;
}

/**
 * Route entry `r` if it has the shape {@link decodeChunk} writes for chunk entry `e` (typed arrays,
 * every event's line in the chunk and in order, ordinals rising below `e.events`, numbers in
 * bounds); undefined otherwise (the reader then reads that chunk's frames).
 */
export function validRouteEntry(
  r: RecordingRouteEventsEntry | undefined,
  e: RecordingEventsEntry,
): PackedEvents | undefined {
  if (!r || typeof r !== 'object' || r.seq !== e.seq) return undefined;
  const p = r.packed as PackedEvents | undefined;
  if (!p || !Array.isArray(p.ids) || !Array.isArray(p.other)) return undefined;
  if (!(p.ev instanceof Int32Array) || !(p.num instanceof Float64Array)) return undefined;
  const lines = entryLines(e);
  if (p.from !== e.line0 || p.to !== e.line0 + lines || p.ev.length % 4 !== 0) return undefined;
  let last = e.line0;
  let ordinal = -1;
  for (let j = 0; j < p.ev.length; j += 4) {
    const ln = p.ev[j]!;
    const ord = p.ev[j + 1]!;
    const at = p.ev[j + 2]!;
    const kind = p.ev[j + 3]!;
    if (ln < last || ln >= p.to || ord <= ordinal || ord >= e.events) return undefined;
    if (at < 0 || at >= p.num.length || kind < 0 || kind > 3) return undefined;
    if (kind === 3 && !(p.num[at]! >= 0 && p.num[at]! < p.other.length)) return undefined;
    last = ln;
    ordinal = ord;
  }
  return p;
}
