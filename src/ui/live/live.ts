import type { RunTaps } from '../run/runController.ts';
import type { LiveHub } from './LiveHub.ts';
import type { TelemetryStore } from './telemetryStore.ts';

/** What the run controller forwards: batches and markers to the hub, telemetry to its store. */
export function liveTaps(hub: LiveHub, telemetry: TelemetryStore): RunTaps {
  return {
    onBatch: (b) => hub.onBatch(b),
    onMarker: (m) => hub.onMarker(m),
    onTelemetry: (t) => telemetry.put(t),
    onReset: () => {
      hub.clear();
      telemetry.put(undefined);
    },
  };
}
