import type { Event } from '../core/events.ts';
import { InputLineError, parseInputLine } from '../core/batch/inputLine.ts';
import {
  type Batch,
  CHECK_FAILED,
  CHECK_ONLY,
  LINE_FAILED,
  type LineFailure,
  type RawLine,
} from './protocol.ts';

/** Whether a feeder batch carries {@link RawLine}s (batch runs fed text) rather than events. */
export function isRawBatch(b: Batch): boolean {
  const first = b.ev[0] as unknown;
  return first !== undefined && typeof (first as RawLine).raw === 'string';
}

/**
 * A feeder batch of {@link RawLine}s as the worker processes it: each line parsed into its event
 * (same `seq`, `feat`); a {@link CHECK_ONLY} line that parses is dropped; a line that does not
 * parse becomes a {@link LineFailure} whose `feat` is the output position it is reported at
 * ({@link LINE_FAILED} or {@link CHECK_FAILED}), so the results stream carries it in input order.
 */
export function parseRawLines(b: Batch): Batch {
  const seq: number[] = [];
  const feat: number[] = [];
  const ev: Event[] = [];
  const lines = b.ev as readonly unknown[] as readonly RawLine[];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const f = b.feat[i]!;
    let e: Event | undefined;
    let failure: LineFailure | undefined;
    try {
      e = l.ev ?? parseInputLine(l.raw, l.line)?.event;
    } catch (err) {
      failure =
        err instanceof InputLineError
          ? { line: err.line, field: err.field, detail: err.detail }
          : { line: l.line, field: '', detail: String(err) };
    }
    if (failure) {
      seq.push(b.seq[i]!);
      feat.push(f === CHECK_ONLY ? CHECK_FAILED : LINE_FAILED);
      ev.push(failure as unknown as Event);
    } else if (e !== undefined && f !== CHECK_ONLY) {
      seq.push(b.seq[i]!);
      feat.push(f);
      ev.push(e);
    }
  }
  return { ...b, seq, feat, ev };
}

/** Whether a merged item (or collected output position) is a {@link LineFailure}. */
export function isLineFailure(feat: number): boolean {
  return feat === LINE_FAILED || feat === CHECK_FAILED;
}
