import type { Feature } from '../../core/feature/Feature.ts';

/** The keys of `features` and all their sub-features, each once, in depth-first order. */
export function featureKeys(features: readonly Feature[]): string[] {
  const seen = new Set<string>();
  const visit = (f: Feature): void => {
    if (seen.has(f.key)) return;
    seen.add(f.key);
    f.children.forEach(visit);
  };
  features.forEach(visit);
  return [...seen];
}
