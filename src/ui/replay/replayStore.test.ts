import { describe, expect, it } from 'vitest';
import type { Playback } from '../../session/replayState.ts';
import { cacheNote, idleReplay, replayPlayback, runStateLabel } from './replayStore.ts';

const controller = {} as Playback;
const open = { ...idleReplay, controller, total: 100 };

describe('replayPlayback (the top bar and Workers tab say what a replay does)', () => {
  it('no replay open: nothing to say', () => {
    expect(replayPlayback(idleReplay)).toBeUndefined();
  });

  it('playing, paused mid-way, paused at the end (ended)', () => {
    expect(replayPlayback({ ...open, playing: true, position: 100 })).toBe('playing');
    expect(replayPlayback({ ...open, playing: false, position: 40 })).toBe('paused');
    expect(replayPlayback({ ...open, playing: false, position: 100 })).toBe('ended');
  });

  it('at the end of a recording it follows as it grows: paused, not ended', () => {
    expect(replayPlayback({ ...open, position: 100, followLive: true })).toBe('paused');
  });
});

describe('runStateLabel (the top bar and the pipeline summary)', () => {
  it('a running replay says what it does; anything else says the run state', () => {
    expect(runStateLabel('running', 'ended')).toBe('replay · ended');
    expect(runStateLabel('running', 'paused')).toBe('replay · paused');
    expect(runStateLabel('running', undefined)).toBe('running');
    expect(runStateLabel('stopped', undefined)).toBe('stopped');
    expect(runStateLabel('error', 'ended')).toBe('error');
  });
});

describe('cacheNote (the replay panel says when the decoded-events cache was set aside)', () => {
  it('says nothing while every chunk came from the cache (or none was read from it)', () => {
    expect(cacheNote(idleReplay)).toBeUndefined();
    expect(cacheNote({ cacheFallbacks: 0 })).toBeUndefined();
  });

  it('counts the chunks read from frames instead', () => {
    expect(cacheNote({ cacheFallbacks: 1 })).toBe('decoded cache: 1 chunk read from frames');
    expect(cacheNote({ cacheFallbacks: 1234 })).toBe(
      'decoded cache: 1,234 chunks read from frames',
    );
  });
});
