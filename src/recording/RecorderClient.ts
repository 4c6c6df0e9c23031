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
  terminate(): void;
}

/** What the recording is: the same facts the in-thread recorder writes (see recordingForDoc). */
export type RecorderClientOptions = RecordingForDocOptions;

let channels = 0;

/** The longest `close` waits for the recorder to write the rest. */
const CLOSE_BOUND_MS = 10_000;

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
  private closed: ((e: RecorderEvent) => void) | undefined;

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
        } else this.closed?.(e);
      };
    });
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

  /** Call after the stream workers stopped: writes the rest, closes the recording, ends the worker. */
  async close(): Promise<void> {
    const done = new Promise<unknown>((resolve) => (this.closed = resolve));
    this.port.postMessage({ t: 'close' });
    // A recorder that never answers must not hold the runner forever.
    await Promise.race([done, new Promise((r) => setTimeout(r, CLOSE_BOUND_MS))]);
    this.port.terminate();
  }
}
