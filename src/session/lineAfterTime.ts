import { type ChunkStore, upperBound } from '../recording/ChunkWindow.ts';

/** Lines received at or before `t`, through the store's time index (one chunk read). */
export async function lineAfterTime(store: ChunkStore, t: number): Promise<number> {
  const [c] = await store.read(await store.seqOfTime(t), 1);
  if (!c || c.lines.length === 0 || c.ts[0]! > t) return 0;
  return c.line0 + upperBound(c.ts, t);
}
