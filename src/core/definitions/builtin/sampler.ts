import { toMicros } from '../../events.ts';
import type { ParamValue } from '../../params/ParamSchema.ts';

/**
 * The seed's duration sampling: pass the first event more than `sampling` seconds after the last
 * one passed. `raw` passes everything; `skip_all` nothing. State is a plain object for snapshots.
 */
export interface SamplerState {
  lastUs: number | null;
}

export function samples(sampling: ParamValue, state: SamplerState, timestamp: number): boolean {
  if (sampling === 'raw') return true;
  if (sampling === 'skip_all') return false;
  const tUs = toMicros(timestamp);
  if (state.lastUs !== null && tUs - state.lastUs <= toMicros(sampling as number)) return false;
  state.lastUs = tUs;
  return true;
}
