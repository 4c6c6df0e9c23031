import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import type { RecordingSink } from '../../sources/recording/RecordingLine.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { type RecordLine, RecordingWriter } from '../../storage/recordings.ts';
import { recordingStore } from './recordingStore.ts';

/** What a runner records into: its sources' lines and, optionally, its nodes' outputs. */
export interface RecordTap {
  /** Pass as the `record` option of every emitter (ExchangeEventEmitter, SimulatedEventEmitter). */
  readonly frames: RecordingSink;
  /** Every output event of a node, right after the line that caused it. */
  output(nodeId: string, event: Event): void;
  /** The graph was rebuilt (an edit): outputs from here on would not match a replay. */
  rebuilt(): void;
  /** Write the rest and close the recording. */
  close(): Promise<void>;
}

/** Opens the recorder for `RunOptions.record`. */
export type OpenRecordTap = (
  record: { readonly recordingId: string; readonly outputs: boolean },
  doc: PipelineDoc,
) => RecordTap;

export interface RecordTapOptions {
  /** Database handle (default: the studio database; open one per worker). */
  readonly db?: () => Promise<StudioDatabase>;
  /** Simulated quota in bytes (tests; the studio reads `?recordQuota=`). */
  readonly quotaBytes?: number;
  readonly onStop?: (reason: string) => void;
}

/**
 * Make a {@link RecordTap} over a RecordingWriter. The hook for every runner: the in-thread runner
 * passes `tap.frames` to its emitters and `tap.output` to its graph callbacks, and a worker runner
 * can do the same inside its workers (the writer needs only IndexedDB, available in workers).
 * Calls are synchronous; until the writer is open they are queued in order.
 */
export function recordTapFactory(o: RecordTapOptions = {}): OpenRecordTap {
  return (record, doc) => {
    const queue: (() => void)[] = [];
    let writer: RecordingWriter | undefined;
    const venues = new Set<string>();
    const symbols = new Set<string>();
    for (const n of doc.nodes) {
      if (typeof n.params?.exchange === 'string') venues.add(n.params.exchange);
      if (typeof n.params?.symbol === 'string') symbols.add(n.params.symbol);
    }
    const opened = (o.db ?? openStudioDb)()
      .then((db) =>
        RecordingWriter.create(db, {
          id: record.recordingId,
          name: `${doc.name} · ${stamp()}`,
          doc,
          venues: [...venues],
          symbols: [...symbols],
          outputs: record.outputs,
          ...(o.quotaBytes !== undefined ? { quotaBytes: o.quotaBytes } : {}),
          onStop: (reason) => o.onStop?.(reason),
        }),
      )
      .then((w) => {
        writer = w;
        for (const f of queue.splice(0)) f();
        return w;
      });
    const run = (f: () => void): void => {
      if (writer) f();
      else queue.push(f);
    };
    return {
      frames: (line) => run(() => writer!.line(line as unknown as RecordLine)),
      output: (nodeId, e) => run(() => writer!.output(nodeId, e)),
      rebuilt: () => run(() => writer!.endOutputs('the pipeline was edited while recording')),
      close: async () => {
        await (await opened).close();
      },
    };
  };
}

/** `Nov 27, 23:47:42`: short enough for the library card. */
function stamp(): string {
  return new Date().toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** The studio's tap: the page database, `?recordQuota=` and the recording status store. */
export const openStudioRecordTap: OpenRecordTap = (record, doc) => {
  const quota = Number(new URLSearchParams(globalThis.location?.search).get('recordQuota'));
  recordingStore.setState({ active: record.recordingId, stopped: undefined });
  const tap = recordTapFactory({
    ...(quota > 0 ? { quotaBytes: quota } : {}),
    onStop: (reason) => recordingStore.setState({ stopped: reason }),
  })(record, doc);
  return {
    ...tap,
    close: async () => {
      await tap.close();
      recordingStore.setState((s) => ({ active: undefined, closed: s.closed + 1 }));
    },
  };
};
