/**
 * A rate as every label shows it (node badges, edge labels, Feed health, the Workers panel):
 * events/s over the last second (`SlidingRate`), `1.5k/s` from a thousand on.
 */
export function rateText(perSec: number): string {
  if (perSec >= 1000) return `${(perSec / 1000).toFixed(1)}k/s`;
  return `${perSec < 10 ? perSec.toFixed(1) : perSec.toFixed(0)}/s`;
}
