import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import { Stream } from '../stream/Stream.ts';
import { CallbackSink } from './CallbackSink.ts';

const f = createFeature('trades', { exchange: 'X', symbol: 'A-B' });
const ev = (t: number): Event => ({ timestamp: t, receipt_timestamp: t + 0.5 });

describe('CallbackSink', () => {
  it('calls back with its feature and every event, in order, and passes them on below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 30 }), (ts) => {
        const src = new Stream<Event>();
        const seen: [unknown, Event][] = [];
        const sink = new CallbackSink(src, f, (feature, e) => seen.push([feature, e]));
        const below: Event[] = [];
        sink.sink((e) => below.push(e));
        const sent = ts.map(ev);
        for (const e of sent) src.emit(e);
        expect(seen.map(([feature]) => feature === f)).toEqual(sent.map(() => true));
        expect(seen.map(([, e]) => e)).toEqual(sent);
        expect(below).toEqual(sent);
        expect(sink.kind).toBe('sink');
        expect(sink.stateful).toBe(false);
      }),
    );
  });
});
