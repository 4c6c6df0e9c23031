import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Cluster } from '../../cluster/Cluster.ts';
import { outputNodes } from '../../cluster/ClusterRunner.ts';
import { readDeployment } from '../../cluster/deploy.ts';
import { importMarketRange } from '../../cluster/importMarketRange.ts';
import { readRangeOutputs } from '../../cluster/rangeOutputs.ts';
import { type MarketStreamInfo, marketStreamInfo, seqRangeOf } from '../../cluster/marketRange.ts';
import { MARKET_STREAM } from '../../cluster/names.ts';
import { ImportError } from '../../session/importRecording.ts';
import { replayRecording } from '../replay/recordingActions.ts';
import type { Studio } from '../studio.ts';
import { utcText } from './rangeText.ts';

export interface MarketReplayState {
  readonly info?: MarketStreamInfo;
  /** Fraction of the range read while an import runs; undefined when none runs. */
  readonly progress?: number;
  readonly error?: string;
}

/** What the user picked: receipt times (epoch seconds), and venues/symbols (all when empty). */
export interface RangeRequest {
  readonly fromTs: number;
  readonly toTs: number;
  readonly venues: readonly string[];
  readonly symbols: readonly string[];
  /** Start replaying it once imported ("Replay in studio"), or only import it. */
  readonly replay: boolean;
  /** Record this deployed pipeline's outputs beside the lines (Compare checks the studio against it). */
  readonly outputsOf?: string;
}

/**
 * The Cluster tab's market-stream replay: shows the stream's extent, imports a time range of it
 * as a recording (progress, cancel) and replays it like any recording.
 */
export class MarketReplay {
  readonly store: StoreApi<MarketReplayState> = createStore<MarketReplayState>()(() => ({}));
  private abort: AbortController | undefined;

  constructor(
    private readonly studio: Studio,
    private readonly cluster: () => Cluster | undefined,
  ) {}

  /** Read the market stream's extent, times and subjects again. */
  async refresh(): Promise<void> {
    const c = this.cluster();
    if (!c) return;
    try {
      const info = await marketStreamInfo(c);
      if (this.cluster() === c) this.store.setState({ info });
    } catch (e) {
      this.store.setState({ error: `Could not read the market stream: ${errorText(e)}` });
    }
  }

  /** Import the range as a recording (listed in Recordings), then replay it if asked. */
  async run(r: RangeRequest): Promise<void> {
    const c = this.cluster();
    const info = this.store.getState().info;
    if (!c || !info || this.abort) return;
    if (!(r.fromTs <= r.toTs)) {
      this.store.setState({ error: 'The range ends before it starts.' });
      return;
    }
    const abort = (this.abort = new AbortController());
    this.store.setState({ progress: 0, error: undefined });
    try {
      const seqs = await seqRangeOf(c, info, r.fromTs, r.toTs);
      if (!seqs) throw new ImportError('no message of the market stream is in that range');
      const where = r.venues.length > 0 ? r.venues.join(', ') : MARKET_STREAM;
      const name = `${where} ${utcText(r.fromTs, 'down')} → ${utcText(r.toTs, 'up')} UTC`;
      const id = `rec-${crypto.randomUUID()}`;
      const outputs = r.outputsOf === undefined ? undefined : await this.outputs(c, r, seqs, abort);
      await importMarketRange(c, await this.studio.db(), {
        id,
        name,
        range: { ...seqs, venues: r.venues, symbols: r.symbols },
        signal: abort.signal,
        ...(outputs ? { outputs } : {}),
        onProgress: (progress) => {
          if (this.abort === abort) this.store.setState({ progress });
        },
      });
      this.studio.recordingStore.setState((s) => ({ closed: s.closed + 1 }));
      this.studio.toast(`Imported "${name}" from the cluster: it is in Recordings`);
      if (r.replay) replayRecording(this.studio, id);
    } catch (e) {
      this.store.setState({ error: errorText(e) });
    } finally {
      this.abort = undefined;
      this.store.setState({ progress: undefined });
    }
  }

  /**
   * The outputs of the deployed pipeline `r.outputsOf` over the range, under the node ids of the
   * document on screen. Only a range starting at the pipeline's first market message, over every
   * venue and symbol, can match a replay: outputs elsewhere depend on what came before.
   */
  private async outputs(
    c: Cluster,
    r: RangeRequest,
    seqs: { fromSeq: number; toSeq: number },
    abort: AbortController,
  ): Promise<{ byLine: Map<number, string[]>; note: string }> {
    const name = r.outputsOf!;
    const d = await readDeployment(c, name);
    if (!d) throw new ImportError(`no pipeline named "${name}" is deployed any more`);
    if (r.venues.length > 0 || r.symbols.length > 0)
      throw new ImportError(`to record the outputs of "${name}", keep every venue and symbol`);
    if (seqs.fromSeq !== d.startSeq)
      throw new ImportError(
        `to record the outputs of "${name}", start the range at its first market message ` +
          `(sequence ${d.startSeq}; this range starts at ${seqs.fromSeq}): its outputs depend on ` +
          'everything it processed before',
      );
    const nodeIds = outputNodes(d, this.studio.pipelineStore.getState().doc);
    const byLine = await readRangeOutputs(c, d, nodeIds, seqs.fromSeq, seqs.toSeq, abort.signal);
    return { byLine, note: `the outputs "${name}" published on the cluster (output nodes only)` };
  }

  /** Stop the running import; nothing of it is kept. */
  cancel(): void {
    this.abort?.abort();
  }
}

function errorText(e: unknown): string {
  return e instanceof ImportError || e instanceof Error ? e.message : String(e);
}
