/**
 * One requestAnimationFrame loop for every live view: each registered callback runs at most
 * once per frame, and the loop sleeps while nothing is registered. A callback returns `true`
 * when it drew; once {@link MAX_DRAWS_PER_FRAME} have drawn, the rest wait for the next frame,
 * which starts with them (round robin). Ten charts then redraw about 24 times a second each
 * instead of all ten every frame: a frame rasters at most a few canvases, so it stays short.
 */
export const MAX_DRAWS_PER_FRAME = 4;

type FrameCallback = (now: number) => boolean | void;
const callbacks: FrameCallback[] = [];
let next = 0;
let raf = 0;

function tick(now: number): void {
  raf = 0;
  const n = callbacks.length;
  let draws = 0;
  let k = 0;
  for (; k < n && draws < MAX_DRAWS_PER_FRAME; k++) {
    if (callbacks[(next + k) % n]!(now) === true) draws++;
  }
  // Who did not get a turn goes first next frame.
  next = k < n ? (next + k) % n : next;
  if (callbacks.length > 0) raf = requestAnimationFrame(tick);
}

/** Run `cb` once per animation frame (budget permitting) until the returned function is called. */
export function onFrame(cb: FrameCallback): () => void {
  callbacks.push(cb);
  if (raf === 0) raf = requestAnimationFrame(tick);
  return () => {
    const i = callbacks.indexOf(cb);
    if (i >= 0) callbacks.splice(i, 1);
    if (i >= 0 && i < next) next--;
    if (next >= callbacks.length) next = 0;
    if (callbacks.length === 0 && raf !== 0) {
      cancelAnimationFrame(raf);
      raf = 0;
    }
  };
}
