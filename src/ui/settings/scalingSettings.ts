import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';

/** Where the saved scaling choice lives (per browser profile). */
const KEY = 'featurizer.scaling';

/** The scaling choices Settings offers: how runs — live and replay — split over workers. */
export const SCALING_CHOICES = [
  { kind: 'single', label: 'One worker' },
  { kind: 'per-source', label: 'One worker per source (default)' },
  { kind: 'per-node', label: 'One worker per node' },
] as const;

export type ScalingKind = (typeof SCALING_CHOICES)[number]['kind'];

/** The saved choice; anything unreadable is the default, `per-source`. */
export function loadScaling(storage: Pick<Storage, 'getItem'>): ScalingKind {
  const v = storage.getItem(KEY);
  return SCALING_CHOICES.some((c) => c.kind === v) ? (v as ScalingKind) : 'per-source';
}

export function saveScaling(kind: ScalingKind, storage: Pick<Storage, 'setItem'>): void {
  storage.setItem(KEY, kind);
}

/** The strategy of a choice (nodes with a `worker` field are placed there whatever it is). */
export function scalingStrategy(kind: ScalingKind): ScalingStrategy {
  return { kind };
}
