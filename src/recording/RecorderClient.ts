import type {
  LanePort,
  RecorderCommand,
  RecorderEvent,
  RecorderPortMessage,
  WorkerRecordOptions,
} from './recordingProtocol.ts';
import type { RecordingForDocOptions } from './recordingForDoc.ts';

/** The recorder worker as the main thread sees it (a Web Worker, or a test double). */
export interface RecorderPort {
  postMessage(m: RecorderCommand, transfer?: Transferable[]): void;
  onmessage: ((e: { data: RecorderEvent }) => void) | null;
  /** The worker threw or could not run (a Worker's `error` event). */
  onerror?: ((e: { message?: string }) => void) | null;
  terminate(): void;
}

/** How a recorder's close ended: everything was written, `dropped` items were never released. */
export interface RecorderClosed {
  readonly lines: number;
  readonly dropped: number;
}

/** What the recording is: the same facts the in-thread recorder writes (see recordingForDoc). */
export type RecorderClientOptions = RecordingForDocOptions;

let channels = 0;

/**
 * A closing recorder says what it has left every `SAVING_EVERY_MS` (recordingProtocol): this long without a word, it is
 * dead or stuck, and the close fails (naming it) instead of waiting forever.
 */
export const SILENT_MS = 30_000;

/**
 * Main-thread handle of one recording written by a recorder worker: opens it, tells it which
 * workers each run starts, hands the stream workers their `emitterOptions.record`, and closes it.
 * The main thread never sees a frame: workers send them straight to the recorder.
 */
export class RecorderClient {
  /** Resolves once the recording exists and the recorder listens. */
  readonly ready: Promise<void>;
  private readonly channel: string;
  private run = 0;
  private outputsOn: boolean;
  /** Told of every event once `close` was called (the recorder's answer to it). */
  private closing: ((e: RecorderEvent) => void) | undefined;
  /** Why the recorder worker died, if it did. */
  private died: string | undefined;

  constructor(
    private readonly port: RecorderPort,
    o: RecorderClientOptions,
  ) {
    // Unique per recording and per client: several tabs may record at once.
    this.channel = `featurizer-recording:${o.recordingId}:${++channels}`;
    this.outputsOn = o.outputs;
    this.ready = new Promise((resolve, reject) => {
      port.onmessage = ({ data: e }) => {
        if (e.t === 'ready') resolve();
        else if (e.t === 'stopped') o.onStop?.(e.reason);
        else if (e.t === 'error') {
          reject(new Error(e.message));
          o.onStop?.(`recording stopped: ${e.message}`);
        }
        this.closing?.(e);
      };
    });
    port.onerror = (e) => {
      // It may have thrown and gone on: a close still asks it to store what it holds.
      this.died ??= e.message || 'the recorder worker failed';
      o.onStop?.(`recording stopped: ${this.died}`);
    };
    port.postMessage({
      t: 'open',
      channel: this.channel,
      recordingId: o.recordingId,
      name: o.name,
      doc: o.doc,
      outputs: o.outputs,
      ...(o.quotaBytes !== undefined ? { quotaBytes: o.quotaBytes } : {}),
    });
  }

  /**
   * A run starts on `workers` workers: the `record` options for their emitterOptions. Node ids
   * per output position are passed while outputs are recorded (until the first edit).
   */
  startRun(
    workers: readonly number[],
    idsAtOutput: readonly (readonly string[])[],
  ): WorkerRecordOptions {
    const run = ++this.run;
    this.port.postMessage({ t: 'expect', run, lanes: workers });
    return {
      channel: this.channel,
      run,
      ...(this.outputsOn ? { outputs: idsAtOutput } : {}),
    };
  }

  /**
   * A stream worker of this recording was just made (a replacement too): give it its own
   * MessagePort to the recorder, before anything else reaches it. A BroadcastChannel goes through
   * the browser process and cannot transfer; a port between two workers costs a fraction per
   * byte. A worker that never gets one (another platform) falls back to the channel.
   */
  connectWorker(worker: { postMessage(m: unknown, transfer: Transferable[]): void }): void {
    const { port1, port2 } = new MessageChannel();
    this.port.postMessage({ t: 'port', port: port1 as unknown as LanePort }, [port1]);
    const m: RecorderPortMessage = { t: 'recorder-port', channel: this.channel, port: port2 };
    worker.postMessage(m, [port2]);
  }

  /** The pipeline was edited: outputs stop being recorded (frames go on). */
  rebuilt(): void {
    if (!this.outputsOn) return;
    this.outputsOn = false;
    this.port.postMessage({ t: 'rebuilt' });
  }

  /**
   * Call after the stream workers stopped: writes the rest, closes the recording, ends the worker.
   * Waits for the real close however long the recorder takes (a bound here would let the studio
   * open a recording still being written), telling `onSaving` how many chunks are left. Rejects,
   * naming why, when the recorder fails or dies instead: what it stored stays (see RecordingWriter.ts).
   */
  async close(onSaving?: (chunksLeft: number) => void): Promise<RecorderClosed> {
    let silence: ReturnType<typeof setTimeout> | undefined;
    let answered = false;
    try {
      return await new Promise<RecorderClosed>((resolve, reject) => {
        const listen = () => {
          clearTimeout(silence);
          silence = setTimeout(() => {
            const why = this.died ?? `no word from it for ${SILENT_MS / 1000} s`;
            reject(new Error(`the recorder stopped answering while saving (${why})`));
          }, SILENT_MS);
        };
        this.closing = (e) => {
          listen();
          if (e.t === 'saving') onSaving?.(e.chunks);
          else if (e.t === 'error') {
            answered = true;
            reject(new Error(e.message));
          } else if (e.t === 'closed') {
            answered = true;
            // It threw earlier and went on: what it holds is stored, but items may be missing.
            if (this.died !== undefined) reject(new Error(this.died));
            else resolve({ lines: e.lines, dropped: e.dropped });
          }
        };
        listen();
        this.port.postMessage({ t: 'close' });
      });
    } finally {
      clearTimeout(silence);
      // A silent recorder is left to finish what it can (its own close then marks the recording
      // complete); one that answered is done.
      if (answered) this.port.terminate();
    }
  }
}
