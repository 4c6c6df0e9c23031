import { useEffect, useRef, useState } from 'react';
import { useUtc } from '../hooks.ts';
import { useStore } from 'zustand';
import { cacheNote, SPEEDS } from './replayStore.ts';
import { clockText, durationText } from '../timeText.ts';
import { useStudio } from '../StudioProvider.tsx';
import { REPLAY_SHORTCUTS } from '../keyboard.ts';
import { heldAt, ReplayMemoryBand } from './ReplayMemoryBand.tsx';
// The timeline's own styles: a replay can start before the Recordings tab (and its lazy chunk)
// was ever opened, e.g. from the Cluster tab, and the track would have no height.
import './replay.css';

/** Small stroke icons: the UI font has no media glyphs on every system. */
const Icon = ({ d }: { d: string }) => (
  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
    <path d={d} fill="currentColor" />
  </svg>
);
const PLAY = 'M4 2.5v11l9-5.5z';
const PAUSE = 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z';
const BACK = 'M3 2.5h2v11H3zM14 2.5v11L6 8z';
const FWD = 'M11 2.5h2v11h-2zM2 2.5v11L10 8z';

/** Keys while a replay is open: Space play/pause, ←/→ one event back/forward. */
function useReplayKeys(): void {
  const { replayStore } = useStudio();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const c = replayStore.getState().controller;
      const el = e.target as HTMLElement | null;
      if (!c || el?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const hit = REPLAY_SHORTCUTS.find((k) => k.key === e.key);
      if (!hit) return;
      if (hit.action === 'toggle') c.toggle();
      else void c.step(hit.action === 'forward' ? 1 : -1);
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [replayStore]);
}

/**
 * The replay timeline (Foxglove-like): play/pause, step, speed, a track to click or drag to
 * seek (Shift-drag selects a loop range; it never turns looping on or off), ⟲ Loop (the one
 * switch for looping, pressed while on), follow-live while the recording grows.
 */
export function ReplayTimeline() {
  const utc = useUtc();
  const studio = useStudio();
  const s = useStore(studio.replayStore);
  const track = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number>();
  const drag = useRef<{ loopFrom?: number } | undefined>(undefined);
  useReplayKeys();
  const c = s.controller;
  if (!c) {
    return s.busy ? (
      <div className="replay-timeline" data-testid="replay-loading">
        <span className="muted">
          {s.busy.label} {s.name}… {Math.round(s.busy.fraction * 100)}%
        </span>
      </div>
    ) : null;
  }
  const span = Math.max(1e-9, s.end - s.start);
  const pct = (t: number) => `${Math.max(0, Math.min(100, ((t - s.start) / span) * 100))}%`;
  const timeAt = (clientX: number): number => {
    const r = track.current!.getBoundingClientRect();
    return s.start + Math.max(0, Math.min(1, (clientX - r.left) / r.width)) * span;
  };
  const atEnd = s.position >= s.total;
  const note = cacheNote(s);
  return (
    <div className="replay-timeline" data-testid="replay-timeline" data-position={s.position}>
      <div
        ref={track}
        className="replay-track"
        data-testid="replay-track"
        onPointerDown={(e) => {
          (e.target as HTMLElement).setPointerCapture(e.pointerId);
          const t = timeAt(e.clientX);
          drag.current = e.shiftKey ? { loopFrom: t } : {};
          if (!e.shiftKey) c.seekTime(t);
        }}
        onPointerMove={(e) => {
          const t = timeAt(e.clientX);
          setHover(t);
          const d = drag.current;
          if (!d) return;
          if (d.loopFrom !== undefined)
            c.setLoop({ from: Math.min(d.loopFrom, t), to: Math.max(d.loopFrom, t) });
          else c.seekTime(t);
        }}
        onPointerUp={() => (drag.current = undefined)}
        onPointerLeave={() => setHover(undefined)}
      >
        <div className="replay-rail" />
        <ReplayMemoryBand memory={s.memory} start={s.start} end={s.end} pct={pct} />
        <div className="replay-played" style={{ width: pct(s.t) }} />
        {s.loop && (
          <div
            data-testid="replay-loop"
            className={`replay-loop${s.looping ? ' on' : ''}`}
            style={{
              left: pct(s.loop.from),
              width: `calc(${pct(s.loop.to)} - ${pct(s.loop.from)})`,
            }}
          />
        )}
        <div className="replay-head" style={{ left: pct(s.t) }} />
        {hover !== undefined && (
          <div className="replay-hover mono" style={{ left: pct(hover) }}>
            {clockText(hover, true, utc)}
            {heldAt(s.memory, hover) && <span className="muted"> · in memory</span>}
          </div>
        )}
      </div>
      <div className="replay-controls">
        <div className="replay-buttons">
          <button onClick={() => c.step(-1)} title="One event back (←)" aria-label="Step back">
            <Icon d={BACK} />
          </button>
          <button
            className="primary play"
            onClick={() => c.toggle()}
            title="Play / pause (Space)"
            aria-label={s.playing ? 'Pause' : 'Play'}
            data-testid="replay-play"
          >
            <Icon d={s.playing ? PAUSE : PLAY} />
          </button>
          <button onClick={() => c.step(1)} title="One event forward (→)" aria-label="Step forward">
            <Icon d={FWD} />
          </button>
        </div>
        <div className="replay-time mono" data-testid="replay-time">
          {clockText(s.t, true, utc)}
          <span className="muted"> / {durationText(span)}</span>
        </div>
        <select
          value={String(s.speed)}
          onChange={(e) => c.setSpeed(e.target.value === 'max' ? 'max' : Number(e.target.value))}
          aria-label="Speed"
          data-testid="replay-speed"
        >
          {SPEEDS.map((v) => (
            <option key={v} value={String(v)}>
              {v === 'max' ? 'max' : `${v}×`}
            </option>
          ))}
        </select>
        <button
          className={s.looping ? 'toggle on' : 'toggle'}
          aria-pressed={s.looping}
          onClick={() => c.setLoop(s.loop ?? { from: s.start, to: s.end }, !s.looping)}
          title={
            s.looping
              ? 'Click to stop looping (the range stays selected)'
              : s.loop
                ? 'Click to loop the selected range'
                : 'Click to loop the whole recording (Shift-drag on the track selects a range)'
          }
        >
          ⟲ Loop: {s.looping ? 'on' : 'off'}
        </button>
        {s.recording && (
          <button
            className={s.followLive ? 'toggle on live' : 'toggle'}
            onClick={() => c.setFollowLive(!s.followLive)}
            title="Keep playing as the recording grows"
          >
            ● Live
          </button>
        )}
        <span className="replay-spacer" />
        {note && (
          <span
            className="replay-cache-note muted"
            data-testid="replay-cache-note"
            title="Some of this recording's decoded-events cache was missing or unreadable: those chunks were decoded from the recorded frames (same outputs, slower)"
          >
            {note}
          </span>
        )}
        <span className="replay-count mono muted" data-testid="replay-count">
          {s.position.toLocaleString()}/{s.total.toLocaleString()}
          {atEnd ? ' · end' : ''}
        </span>
        <button
          onClick={() => studio.runController.stop()}
          aria-label="Close replay"
          title="Close replay"
        >
          ✕
        </button>
      </div>
      {s.busy && <div className="replay-busy" style={{ width: `${s.busy.fraction * 100}%` }} />}
    </div>
  );
}
