import { useStore } from 'zustand';
import { useUtc } from '../hooks.ts';
import { clockText } from '../timeText.ts';
import { useStudio } from '../StudioProvider.tsx';

const show = (v: unknown): string => (v === undefined ? '— (no event)' : JSON.stringify(v));

/**
 * Compare over the canvas: its progress while the worker runs (at most ~1 update per batch of
 * chunks), then identical, or the first divergence — the node is
 * highlighted (a scoped style on its React Flow element, so the node component stays unaware),
 * with the event index, time, field and both values.
 */
export function CompareBanner() {
  const utc = useUtc();
  const studio = useStudio();
  const { result, busy, progress } = useStore(studio.recordingUi.compareStore);
  if (busy)
    return (
      <div className="compare-banner" data-testid="compare-result" data-busy="true">
        Comparing replay with the recorded outputs…
        {progress !== undefined ? ` ${Math.round(progress * 100)}%` : ''}
        <div
          className="compare-progress"
          style={{
            position: 'absolute',
            left: 0,
            bottom: 0,
            height: 2,
            background: 'var(--accent)',
            width: `${(progress ?? 0) * 100}%`,
          }}
        />
      </div>
    );
  if (!result) return null;
  const close = () => studio.recordingUi.compareStore.setState({ result: undefined });
  const d = result.divergence;
  if (!d)
    return (
      <div className="compare-banner ok" data-testid="compare-result" data-identical="true">
        <strong>Identical</strong>: {result.compared.toLocaleString()} outputs of {result.nodes}{' '}
        nodes replay exactly as recorded live
        {result.tolerance > 0 ? ` (tolerance ${result.tolerance})` : ''}.
        <button onClick={close} aria-label="Dismiss">
          ✕
        </button>
      </div>
    );
  return (
    <div className="compare-banner bad" data-testid="compare-result" data-identical="false">
      <style>{`.react-flow__node[data-id="${CSS.escape(d.nodeId)}"] .fnode { outline: 2px solid var(--danger); outline-offset: 3px; box-shadow: 0 0 0 6px rgba(248,113,113,.18); }`}</style>
      <div>
        <strong>First divergence</strong> at node <code>{d.nodeId}</code>, event #{d.index}
        {d.time !== undefined ? ` (${clockText(d.time, true, utc)})` : ''}
        {d.field ? (
          <>
            , field <code>{d.field}</code>
          </>
        ) : null}
      </div>
      <div className="compare-values mono">
        <div title={show(d.recorded)}>
          <span className="muted">live </span>
          {show(d.recorded)}
        </div>
        <div title={show(d.replayed)}>
          <span className="muted">replay </span>
          {show(d.replayed)}
        </div>
      </div>
      <button onClick={close} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
