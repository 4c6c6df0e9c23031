import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DRAWS_PER_FRAME, onFrame } from './frameLoop.ts';

let pending: FrameRequestCallback | undefined;
const runFrame = (t: number) => {
  const cb = pending;
  pending = undefined;
  cb?.(t);
};

beforeEach(() => {
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    pending = cb;
    return 1;
  });
  vi.stubGlobal('cancelAnimationFrame', () => {
    pending = undefined;
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('onFrame', () => {
  it('lets at most a few views draw per frame, and the ones left out go first next frame', () => {
    const calls = Array.from({ length: 10 }, () => 0);
    const offs = calls.map((_, i) =>
      onFrame(() => {
        calls[i]!++;
        return true;
      }),
    );
    runFrame(16);
    expect(calls.filter((c) => c > 0)).toHaveLength(MAX_DRAWS_PER_FRAME);
    // Every view gets its turn within ceil(10 / budget) frames, and none twice before that.
    for (let f = 1; f < Math.ceil(10 / MAX_DRAWS_PER_FRAME); f++) runFrame(16 * (f + 1));
    expect(Math.min(...calls)).toBe(1);
    expect(calls.reduce((a, b) => a + b)).toBe(
      MAX_DRAWS_PER_FRAME * Math.ceil(10 / MAX_DRAWS_PER_FRAME),
    );
    offs.forEach((off) => off());
    expect(pending).toBeUndefined();
  });

  it('does not count views that had nothing to draw against the budget', () => {
    let idleCalls = 0;
    let drawCalls = 0;
    const offs = [
      ...Array.from({ length: 8 }, () =>
        onFrame(() => {
          idleCalls++;
          return false;
        }),
      ),
      onFrame(() => {
        drawCalls++;
        return true;
      }),
    ];
    runFrame(16);
    runFrame(32);
    expect(drawCalls).toBe(2);
    expect(idleCalls).toBe(16);
    offs.forEach((off) => off());
  });
});
