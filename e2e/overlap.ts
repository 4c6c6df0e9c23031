// Bounding-box checks for the layout specs and the screenshot tour: what floats over the canvas
// (zoom controls, minimap, replay timeline, compare banner) must not cover a node, the
// dashboard's header or the replay timeline.
import type { Locator, Page } from '@playwright/test';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Area (px²) two boxes share. */
export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Boxes of every visible element a locator matches. */
export async function boxes(l: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (const el of await l.all()) {
    const b = await el.boundingBox();
    if (b && b.width > 0 && b.height > 0) out.push(b);
  }
  return out;
}

/** The overlays of the studio: elements drawn over the canvas or the dashboard. */
export const OVERLAYS = [
  '.react-flow__controls',
  '.react-flow__minimap',
  '[data-testid="workers-panel"]',
  '.compare-banner',
];

/**
 * Pairs "overlay covers target" (more than 4 px² shared), for the tour's assertions: overlays
 * against canvas nodes on screen (clipped to the canvas), the dashboard header and the replay
 * timeline.
 */
export async function coverings(page: Page): Promise<string[]> {
  const canvas = (await page.locator('.react-flow').boundingBox()) ?? undefined;
  const targets: [string, Box][] = [];
  for (const b of await boxes(page.locator('.react-flow__node'))) {
    // Only the part of a node inside the canvas is on screen.
    const clip = canvas ? clipTo(b, canvas) : b;
    if (clip) targets.push(['a node', clip]);
  }
  for (const b of await boxes(page.locator('.dashboard > .panel-head')))
    targets.push(['the dashboard header', b]);
  for (const b of await boxes(page.getByTestId('replay-timeline')))
    targets.push(['the replay timeline', b]);
  const found: string[] = [];
  for (const sel of OVERLAYS)
    for (const o of await boxes(page.locator(sel)))
      for (const [what, t] of targets)
        if (overlapArea(o, t) > 4) found.push(`${sel} covers ${what} (${JSON.stringify(t)})`);
  return found;
}

function clipTo(b: Box, c: Box): Box | undefined {
  const x = Math.max(b.x, c.x);
  const y = Math.max(b.y, c.y);
  const w = Math.min(b.x + b.width, c.x + c.width) - x;
  const h = Math.min(b.y + b.height, c.y + c.height) - y;
  return w > 0 && h > 0 ? { x, y, width: w, height: h } : undefined;
}
