/**
 * What the replay holds in memory, drawn on the timeline's rail as Foxglove draws its preloaded
 * ranges: playing or seeking there reads nothing from storage. `memory` is flat time ranges
 * (`ReplayState.memory`); `pct` places a time on the track.
 */
export function ReplayMemoryBand({
  memory,
  start,
  end,
  pct,
}: {
  memory: readonly number[] | undefined;
  start: number;
  end: number;
  pct: (t: number) => string;
}) {
  if (!memory || memory.length === 0) return null;
  const span = Math.max(1e-9, end - start);
  let held = 0;
  const parts: { from: number; to: number }[] = [];
  for (let k = 0; k + 1 < memory.length; k += 2) {
    const from = Math.max(start, memory[k]!);
    const to = Math.min(end, memory[k + 1]!);
    if (to < from) continue;
    held += to - from;
    parts.push({ from, to });
  }
  const percent = Math.round((held / span) * 100);
  return (
    <div
      className="replay-memory-band"
      data-testid="replay-memory"
      data-percent={percent}
      role="img"
      aria-label={`In memory: ${percent}% of the recording`}
    >
      {parts.map(({ from, to }) => (
        <div
          key={from}
          className="replay-memory"
          style={{ left: pct(from), width: `calc(${pct(to)} - ${pct(from)})` }}
        />
      ))}
    </div>
  );
}

/** Whether time `t` lies in the flat ranges `memory` (the track's hover says so). */
export function heldAt(memory: readonly number[] | undefined, t: number): boolean {
  if (!memory) return false;
  for (let k = 0; k + 1 < memory.length; k += 2)
    if (memory[k]! <= t && t <= memory[k + 1]!) return true;
  return false;
}
