/**
 * One requestAnimationFrame loop for every live view: each registered callback runs at most
 * once per frame, and the loop sleeps while nothing is registered.
 */
const callbacks = new Set<(now: number) => void>();
let raf = 0;

function tick(now: number): void {
  raf = 0;
  for (const cb of callbacks) cb(now);
  if (callbacks.size > 0) raf = requestAnimationFrame(tick);
}

/** Run `cb` once per animation frame until the returned function is called. */
export function onFrame(cb: (now: number) => void): () => void {
  callbacks.add(cb);
  if (raf === 0) raf = requestAnimationFrame(tick);
  return () => {
    callbacks.delete(cb);
    if (callbacks.size === 0 && raf !== 0) {
      cancelAnimationFrame(raf);
      raf = 0;
    }
  };
}
