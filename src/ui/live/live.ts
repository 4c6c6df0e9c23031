import type { RunTaps } from '../run/runController.ts';
import { LiveHub } from './LiveHub.ts';
import { putTelemetry } from './telemetryStore.ts';

/** The page's live data hub (charts, sparklines, markers); fed by the run controller's taps. */
export const liveHub = new LiveHub();

/** What the run controller forwards here: batches and markers to the hub, telemetry to its store. */
export const liveTaps: RunTaps = {
  onBatch: (b) => liveHub.onBatch(b),
  onMarker: (m) => liveHub.onMarker(m),
  onTelemetry: (t) => putTelemetry(t),
  onReset: () => {
    liveHub.clear();
    putTelemetry(undefined);
  },
};
