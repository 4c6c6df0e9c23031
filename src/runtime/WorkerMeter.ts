import type { TransportStats } from './Transport.ts';
import type { WorkerReport } from './workerTypes.ts';

/**
 * What a stream worker reports with its telemetry (which is also its heartbeat): outputs per
 * node, inputs processed, busy time, mean latency since the last report, and the markers (feed
 * incidents, user node failures) gathered since.
 */
export class WorkerMeter {
  /** Outputs per owned node index. */
  readonly counts: Record<number, number> = {};
  /** Inputs processed so far. */
  processed = 0;
  busyMs = 0;
  private latSum = 0;
  private latN = 0;
  private markers: object[] = [];

  /** A marker to send with the next report. */
  mark(m: object): void {
    this.markers.push(m);
  }

  /** A processing step flushed inputs the oldest of which arrived `ms` ago. */
  latency(ms: number): void {
    this.latSum += ms;
    this.latN++;
  }

  /** The telemetry message; markers and latency start afresh. */
  report(
    worker: number,
    queueDepth: number,
    edges: Record<number, TransportStats>,
    feeds: object[],
  ): WorkerReport {
    const m: WorkerReport = {
      t: 'tel',
      tel: {
        worker,
        nodes: { ...this.counts },
        edges,
        queueDepth,
        processed: this.processed,
        busyMs: this.busyMs,
        latencyMs: this.latN > 0 ? this.latSum / this.latN : 0,
        feeds,
        markers: this.markers,
      },
    };
    this.markers = [];
    this.latSum = 0;
    this.latN = 0;
    return m;
  }
}
