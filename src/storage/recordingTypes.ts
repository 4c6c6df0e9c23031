import type { PipelineDoc } from '../core/config/PipelineDoc.ts';

/**
 * A recording as the library lists it. Written in the same transaction as every chunk, so its
 * counts always describe exactly the chunks that are stored (see RecordingWriter).
 */
export interface RecordingMeta {
  readonly id: string;
  readonly name: string;
  /** Wall-clock ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * `recording`: still being written (or the tab died while it was: everything listed is there).
   * `complete`: closed normally. `stopped`: ended early, e.g. storage full (`stopReason`).
   * `importing`: a file import not yet committed; never listed, deleted if it fails.
   */
  readonly status: 'recording' | 'complete' | 'stopped' | 'importing';
  readonly stopReason?: string;
  /** Venue ids seen in the lines (and named by the recorded pipeline). */
  readonly venues: readonly string[];
  readonly symbols: readonly string[];
  /** Receipt time of the first and last line, epoch seconds (null while empty). */
  readonly startTs: number | null;
  readonly endTs: number | null;
  /** Every recorded line (frames, sent, markers, SIM events). */
  readonly lines: number;
  readonly frames: number;
  readonly simEvents: number;
  readonly markers: number;
  /** Recorded feature output events (0 when outputs were not recorded). */
  readonly outputs: number;
  readonly outputsRecorded: boolean;
  /** Why output recording ended before the frames did (e.g. the pipeline was edited). */
  readonly outputsEnded?: string;
  readonly chunks: number;
  /** Approximate stored size (UTF-16 code units of the lines, plus timestamps). */
  readonly bytes: number;
  /** The pipeline that was running when the recording started, if any. */
  readonly doc?: PipelineDoc;
}

/** One chunk of recorded lines: NDJSON line texts plus their receipt times (for the timeline). */
export interface RecordingChunk {
  readonly recordingId: string;
  readonly seq: number;
  /**
   * Index of the chunk's first line in the recording, and its receipt time (absent when the
   * chunk has no lines). Indexed (v3), so a seek finds its chunk without reading the others.
   */
  readonly line0: number;
  readonly ts0?: number;
  readonly lines: readonly string[];
  /** `receipt_timestamp` of each line, epoch seconds. */
  readonly ts: readonly number[];
}

/**
 * The feature outputs produced while chunk `seq`'s lines were processed live, one NDJSON line
 * per output event: `{"node":"<node id>","event":{…}}`, in emission order.
 */
export interface RecordingOutputChunk {
  readonly recordingId: string;
  readonly seq: number;
  readonly lines: readonly string[];
}

/**
 * The events of one route in one chunk, packed (`PackedEvents` of `runtime/ReplayEventPack`,
 * kept structural here: storage does not import the runtime). Its `ts` is empty (the chunk's
 * {@link RecordingEventsEntry} holds the lines' times), and each event's source number is its
 * ordinal among all the chunk's events, every route's (a reader merging several routes of one
 * line emits them in the order the decoder did).
 */
export interface PackedRouteEvents {
  readonly from: number;
  readonly to: number;
  readonly ts: Float64Array;
  readonly ev: Int32Array;
  readonly num: Float64Array;
  readonly ids: readonly string[];
  readonly other: readonly unknown[];
}

/**
 * One chunk of the decoded-events cache (v6; see `recording/eventCache.ts`): which routes its
 * lines have events for (each in its own {@link RecordingRouteEventsEntry}) and the lines'
 * receipt times. A replay worker reads these and only its own routes' entries; the decoder's
 * state after the chunk is apart ({@link RecordingEventsState}: only a fallback reads it).
 */
export interface RecordingEventsEntry {
  readonly recordingId: string;
  readonly version: number;
  readonly seq: number;
  readonly line0: number;
  /** Route keys (`exchange|channel|symbol`) with at least one event in the chunk. */
  readonly routes: readonly string[];
  /** Events in the chunk, all routes (the bound of the ordinals). */
  readonly events: number;
  /** Receipt time of each of the chunk's lines. */
  readonly ts: Float64Array;
  /**
   * Seq of the recording's next chunk (the chunk count after the last): a reader that finds
   * the next entry further on knows the chunks between lost their entries.
   */
  readonly nextSeq: number;
}

/**
 * The decoder's state after one chunk's last line (v6), keyed `[recordingId, version, seq]`: where
 * a reader falling back to frames (an entry missing or bad) or a resumed indexing starts. Apart
 * from the entries: a venue book's state can outweigh a chunk's events, and a play reads none.
 */
export interface RecordingEventsState {
  readonly recordingId: string;
  readonly version: number;
  readonly seq: number;
  /** Opaque `DecoderSnapshot`. */
  readonly state: unknown;
}

/** One route's events in one chunk (v6; since v7 stored in a {@link RecordingRouteEventsGroup}). */
export interface RecordingRouteEventsEntry {
  readonly recordingId: string;
  readonly version: number;
  readonly route: string;
  readonly seq: number;
  readonly packed: PackedRouteEvents;
}

/**
 * One route's events in a group of chunks (v7), keyed `[recordingId, version, route, seq]`, `seq`
 * the group's first chunk (a multiple of `ROUTE_GROUP_CHUNKS`, `storage/recordingEvents.ts`):
 * the entries of the group's chunks that have events on the route, in seq order. One record for
 * several chunks because Chromium's IndexedDB reads many records of ~60 kB (a SIM book's chunk)
 * at ~170 MB/s and a few of ~500 kB at ~350 MB/s: the book worker's play waited on those reads.
 */
export interface RecordingRouteEventsGroup {
  readonly recordingId: string;
  readonly version: number;
  readonly route: string;
  readonly seq: number;
  readonly entries: readonly RecordingRouteEventsEntry[];
}

/** Says every chunk `[0, chunks)` of a recording has its entries for `version` (v5). */
export interface RecordingEventsMeta {
  readonly recordingId: string;
  readonly version: number;
  readonly chunks: number;
  readonly lines: number;
}
