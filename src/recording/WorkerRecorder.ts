import type { StudioDatabase } from '../storage/db.ts';
import { recordingForDoc } from './recordingForDoc.ts';
import type { RecordingWriter } from './RecordingWriter.ts';
import { batchColumns, batchTexts } from './LaneItems.ts';
import { LaneCommits } from './LaneCommits.ts';
import { LaneOrder } from './LaneOrder.ts';
import { RecordingMerge } from './RecordingMerge.ts';
import {
  type LaneMessage,
  type LanePort,
  type RecorderCommand,
  type RecorderEvent,
  SAVING_EVERY_MS,
} from './recordingProtocol.ts';

/** Listens for lane messages on `channel` (a BroadcastChannel, or a test double); returns close. */
export type LaneListen = (channel: string, onMessage: (data: unknown) => void) => () => void;

/** How long `close` waits for stopped workers' last lane messages. */
const CLOSE_WAIT_MS = 1000;

/**
 * The recorder of one recording, run in its own worker (src/recording/recorderWorker.ts):
 * the one RecordingWriter of the recording, fed by every stream worker's lane messages through a
 * {@link RecordingMerge}, so the recording is a single, ordered, chunked stream (dense chunk
 * numbers, one transaction per chunk with the metadata) however many workers record into it.
 */
export class WorkerRecorder {
  private writer: RecordingWriter | undefined;
  private unlisten: (() => void) | undefined;
  private readonly merge: RecordingMerge;
  /**
   * Holds a restored worker's messages until its predecessor's are in (LaneOrder), then each
   * checkpoint's batch until the checkpoint is stored (LaneCommits), before the merge.
   */
  private readonly order: LaneOrder;
  private outputsOn = true;
  /** Lanes still open per run: `close` waits for their final messages. */
  private readonly open = new Set<string>();
  private closing: (() => void) | undefined;
  /** Stream workers' own ports (RecorderClient.connectWorker), closed with the recording. */
  private readonly ports: LanePort[] = [];

  constructor(
    private readonly db: () => Promise<StudioDatabase>,
    private readonly listen: LaneListen,
    private readonly post: (e: RecorderEvent) => void,
  ) {
    this.merge = new RecordingMerge({
      item: (it) => {
        const w = this.writer!;
        if (it.head) w.lineText(it.text, it.head);
        else if (this.outputsOn) w.outputText(it.text);
      },
      // The usual recording: a lane's batch straight into the writer, no object per item.
      range: (m, b, from, to) => {
        const c = batchColumns(b);
        this.writer!.itemsOf(
          { ...c, texts: batchTexts(b), names: m.names },
          from,
          to,
          this.outputsOn,
        );
      },
    });
    const commits = new LaneCommits((m) => this.merge.add(m));
    this.order = new LaneOrder((m) => commits.add(m));
  }

  async command(c: RecorderCommand): Promise<void> {
    try {
      if (c.t === 'open') await this.openRecording(c);
      else if (c.t === 'port') this.listenPort(c.port);
      else if (c.t === 'expect') this.merge.expect(c.run, c.lanes);
      else if (c.t === 'rebuilt') this.rebuilt();
      else await this.close();
    } catch (e) {
      this.post({ t: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async openRecording(c: Extract<RecorderCommand, { t: 'open' }>): Promise<void> {
    this.writer = await recordingForDoc(await this.db(), {
      recordingId: c.recordingId,
      name: c.name,
      doc: c.doc,
      outputs: c.outputs,
      ...(c.quotaBytes !== undefined ? { quotaBytes: c.quotaBytes } : {}),
      onStop: (reason) => this.post({ t: 'stopped', reason }),
    });
    this.unlisten = this.listen(c.channel, (data) => this.lane(data as LaneMessage));
    this.post({ t: 'ready' });
  }

  /** A stream worker's port: its lane messages arrive here, as on the channel. */
  private listenPort(port: LanePort): void {
    this.ports.push(port);
    port.onmessage = (e) => this.lane(e.data as LaneMessage);
  }

  private lane(m: LaneMessage): void {
    const key = `${m.run}:${m.lane}`;
    if (m.final) this.open.delete(key);
    else this.open.add(key);
    // A worker restarted from its checkpoint (m.recovered) goes on exactly once: only batches of
    // stored checkpoints become final, the failed worker's later ones are dropped (LaneOrder,
    // LaneCommits), so the recorded lines and outputs stay what a replay of the lines computes. One
    // that owns live sources and feeds other workers sent them only what a stored checkpoint
    // covers (runtime/CommitGate), so they hold nothing its restore undid.
    this.order.add(m);
    if (this.open.size === 0) this.closing?.();
  }

  private rebuilt(): void {
    // Outputs of the edited graph would not match a replay of the lines: stop taking them.
    this.endOutputs('the pipeline was edited while recording');
  }

  private endOutputs(reason: string): void {
    if (!this.outputsOn) return;
    this.outputsOn = false;
    this.writer?.endOutputs(reason);
  }

  private async close(): Promise<void> {
    // The main thread waits for the real close however long it takes: say what is left, and that
    // this recorder is alive, until it is done.
    const saving = () => this.post({ t: 'saving', chunks: this.writer?.unsaved ?? 0 });
    saving();
    const timer = setInterval(saving, SAVING_EVERY_MS);
    try {
      await this.finish();
    } finally {
      clearInterval(timer);
    }
  }

  private async finish(): Promise<void> {
    if (this.open.size > 0) {
      // The workers were stopped just before: give their last messages a moment to arrive.
      await new Promise<void>((resolve) => {
        this.closing = resolve;
        setTimeout(resolve, CLOSE_WAIT_MS);
      });
    }
    this.order.finish();
    const dropped = this.merge.finish();
    this.unlisten?.();
    for (const p of this.ports) p.close();
    // Never opened (the open failed and said so): nothing to write, but the client waits.
    const meta = await this.writer?.close();
    this.post({ t: 'closed', lines: meta?.lines ?? 0, dropped });
  }
}
