import { expect, type Page } from '@playwright/test';

/** Where playwright.config.ts starts the exchange simulator (`webServer`). */
export const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 8765);
/** The simulator's websocket origin, for `?ws.VENUE=` overrides and the settings panel. */
export const SIM_ORIGIN = `ws://127.0.0.1:${SIM_PORT}`;

/** Canvas nodes and edges currently rendered. */
export const nodes = (page: Page) => page.locator('.react-flow__node');
export const edges = (page: Page) => page.locator('.react-flow__edge');

/** Open the studio and wait until the default (or stored) pipeline is on the canvas. */
export async function openStudio(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('run-state')).toBeVisible();
  await expect(nodes(page).first()).toBeVisible();
}

/** Start a new empty pipeline from the pipelines list, then return to the palette. */
export async function newEmptyPipeline(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New empty' }).click();
  await expect(nodes(page)).toHaveCount(0);
  await page.getByRole('tab', { name: 'Nodes' }).click();
}

/** The canvas node whose id is `id`. */
export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drag with the mouse from one element's centre to another's, in small steps. */
export async function dragFromTo(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  beforeRelease?: () => Promise<void>,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  if (beforeRelease) await beforeRelease();
  await page.mouse.up();
}

/** Centre of an element on screen. */
export async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Press a shortcut with Ctrl (the studio maps Ctrl and ⌘ alike). */
export const mod = (page: Page, key: string) => page.keyboard.press(`Control+${key}`);
