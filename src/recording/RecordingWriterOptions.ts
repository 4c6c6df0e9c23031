import type { PipelineDoc } from '../core/config/PipelineDoc.ts';

/** How a `RecordingWriter` records: what the recording is, when it cuts chunks, quota and stop. */
export interface RecordingWriterOptions {
  readonly id: string;
  readonly name: string;
  /** The pipeline running when recording starts (listed; Compare defaults to it). */
  readonly doc?: PipelineDoc;
  /** Venues and symbols known up front (raw frames do not name symbols in one way). */
  readonly venues?: readonly string[];
  readonly symbols?: readonly string[];
  /** Whether feature outputs are recorded too. */
  readonly outputs?: boolean;
  /** `importing` hides the recording from the library until `RecordingWriter.close`. */
  readonly status?: 'recording' | 'importing';
  /** Cut a chunk at this many lines (default 1000)… */
  readonly maxLines?: number;
  /** …or this long after its first line (default 1000 ms), whichever comes first. */
  readonly maxMs?: number;
  /** A simulated quota (bytes of recorded data), for tests: beyond it writes fail as full. */
  readonly quotaBytes?: number;
  /** Called once when recording stops by itself (storage full, write error). */
  readonly onStop?: (reason: string) => void;
  readonly now?: () => number;
}
