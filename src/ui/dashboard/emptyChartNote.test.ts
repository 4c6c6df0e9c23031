import { describe, expect, it } from 'vitest';
import { emptyChartNote } from './emptyChartNote.ts';

describe('emptyChartNote', () => {
  it('says stopped when the live run is stopped, and how to start it', () => {
    expect(emptyChartNote({ run: 'stopped', replay: undefined, bars: false })).toBe(
      'Stopped: press ▶ Run to see live data',
    );
  });
  it('says it waits while running, for the first bar when the chart shows bars', () => {
    expect(emptyChartNote({ run: 'running', replay: undefined, bars: false })).toMatch(
      /^No data yet/,
    );
    expect(emptyChartNote({ run: 'running', replay: undefined, bars: true })).toMatch(
      /^Waiting for the first bar/,
    );
  });
  it('points at the top bar after an error', () => {
    expect(emptyChartNote({ run: 'error', replay: undefined, bars: false })).toMatch(/error/);
  });
  it('talks about the replay when one is open, whatever the live run does', () => {
    expect(emptyChartNote({ run: 'stopped', replay: { playing: false }, bars: false })).toMatch(
      /^Replay paused.*Play/,
    );
    expect(emptyChartNote({ run: 'stopped', replay: { playing: true }, bars: true })).toMatch(
      /^Waiting for the first bar/,
    );
  });
  it('says no bar has closed when a paused replay charts bars', () => {
    expect(emptyChartNote({ run: 'stopped', replay: { playing: false }, bars: true })).toBe(
      'Replay paused: no bar has closed yet — press ▶ Play',
    );
  });
  it('says the recording ended before a bar closed, not "press Play", at the end', () => {
    expect(
      emptyChartNote({ run: 'stopped', replay: { playing: false, atEnd: true }, bars: true }),
    ).toMatch(/^Replay ended before any bar closed/);
    expect(
      emptyChartNote({ run: 'stopped', replay: { playing: false, atEnd: true }, bars: false }),
    ).toMatch(/^Replay ended: this chart got no value/);
  });
});
