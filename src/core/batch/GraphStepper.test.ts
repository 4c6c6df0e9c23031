import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { createFeature } from '../feature/createFeature.ts';
import { scalarSource, value } from '../../testing/core/testHelpers.ts';
import type { GapItem } from './gaps.ts';
import { GraphStepper, type StepSink } from './GraphStepper.ts';

/** Every sink call, as text, in order. */
function recorder(): StepSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    before: (s: Feature, ts: number) => void calls.push(`before ${s.definition.name} ${ts}`),
    output: (pos: number, e: Event) => void calls.push(`out ${pos} ${e.timestamp}`),
    after: (s: Feature, ts: number) => void calls.push(`after ${s.definition.name} ${ts}`),
    gap: (g: GapItem) => void calls.push(`gap ${g.gap.reason}`),
  };
}

describe('GraphStepper', () => {
  // `diff` reads the source, and is wired before the source's own output callback: depth-first,
  // the graph emits diff's output before the source's.
  const src = scalarSource();
  const diff = createFeature('transforms.diff', {}, [src]);
  const observed = [src, diff];

  function run(order: 'canonical' | 'emission'): string[] {
    const sink = recorder();
    const s = new GraphStepper(observed, sink, { synthetic: false, order });
    for (const t of [1, 2, 3]) s.step(src, value(t, t * t));
    return sink.calls;
  }

  it('writes each input as before, its outputs, after; canonical: by observed position', () => {
    const canonical = run('canonical');
    const emission = run('emission');
    const outs = (calls: string[], t: number) =>
      calls.filter((c) => c.startsWith('out ') && c.endsWith(` ${t}`));
    // From the second input on both outputs emit; canonical puts the source (position 0) first.
    expect(outs(canonical, 3)).toEqual(['out 0 3', 'out 1 3']);
    expect(outs(emission, 3)).toEqual(['out 1 3', 'out 0 3']);
    // Same events per position either way: only the order within one input differs.
    const perPos = (calls: string[]) => [...calls].filter((c) => c.startsWith('out ')).sort();
    expect(perPos(canonical)).toEqual(perPos(emission));
    const name = src.definition.name;
    expect(canonical.slice(0, 4)).toEqual([
      `before ${name} 1`,
      'out 0 1',
      'out 1 1',
      `after ${name} 1`,
    ]);
  });

  it('interleaves a synthetic source before each input at or after it, the rest at finish', () => {
    const sink = recorder();
    const s = new GraphStepper([src], sink, { interval: { start: 100, end: 102 } });
    // An input at 101: the synthetic events at 100 and 101 go first, then the input itself.
    s.step(src, value(101, 5));
    expect(sink.calls.filter((c) => c.startsWith('out '))).toEqual([
      'out 0 100',
      'out 0 101',
      'out 0 101',
    ]);
    const gap = { exchange: 'X', symbol: 'Y', reason: 'sequence', receipt_timestamp: 101 };
    s.gap({ gap: { ...gap, channel: 'ticker' } });
    s.finish();
    const tail = sink.calls.filter((c) => c.startsWith('out ') || c.startsWith('gap')).slice(3);
    expect(tail).toEqual(['gap sequence', 'out 0 102']);
  });

  it('needs an interval for a synthetic source, unless synthetic sources are off', () => {
    expect(() => new GraphStepper([src], recorder())).toThrow(/needs start_date and end_date/);
    expect(() => new GraphStepper([src], recorder(), { synthetic: false })).not.toThrow();
  });
});
