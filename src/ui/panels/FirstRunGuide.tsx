import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';

/** The guide's steps: what to look at (highlighted on screen) and what to do with it. */
export const GUIDE_STEPS = [
  {
    target: 'palette',
    title: 'The palette',
    text: 'Sources, features and order books, on the left. Drag one onto the canvas, or double-click it.',
  },
  {
    target: 'ports',
    title: 'Ports',
    text: 'Drag from an output (right dot) to an input (left dot). Hover a port to see its kind; only matching kinds connect.',
  },
  {
    target: 'chart',
    title: 'Chart a node',
    text: "Click a node's Chart button (or drag the node onto the dashboard) to plot its output live.",
  },
  {
    target: 'record',
    title: 'Record and replay',
    text: 'The Recordings tab records what the sources receive, to replay, compare and export as CSV.',
  },
] as const;

/**
 * A short first-run guide in the inspector (never over the canvas): four steps, each outlining
 * what it talks about (`data-guide` on the studio root, styled in App.css). Dismissed for good by
 * "Skip" or by finishing; `?` and the README have the rest.
 */
export function FirstRunGuide() {
  const { prefsStore } = useStudio();
  const done = useStore(prefsStore, (p) => p.guideDone);
  const step = useStore(prefsStore, (p) => Math.min(p.guideStep, GUIDE_STEPS.length - 1));
  const s = GUIDE_STEPS[step]!;
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('.studio');
    if (!root) return;
    if (done) delete root.dataset.guide;
    else root.dataset.guide = s.target;
    return () => {
      delete root.dataset.guide;
    };
  }, [done, s.target]);
  if (done) return null;
  const last = step === GUIDE_STEPS.length - 1;
  return (
    <section className="inspector-section guide" data-testid="guide" aria-label="Getting started">
      <h3>
        Getting started · {step + 1}/{GUIDE_STEPS.length}
      </h3>
      <p>
        <b>{s.title}.</b> {s.text}
      </p>
      <div className="guide-buttons">
        {step > 0 && <button onClick={() => prefsStore.set({ guideStep: step - 1 })}>Back</button>}
        <button
          className="primary"
          data-testid="guide-next"
          onClick={() =>
            prefsStore.set(last ? { guideDone: true, guideStep: 0 } : { guideStep: step + 1 })
          }
        >
          {last ? 'Done' : 'Next'}
        </button>
        <button
          className="ghost"
          data-testid="guide-skip"
          onClick={() => prefsStore.set({ guideDone: true, guideStep: 0 })}
        >
          Skip guide
        </button>
      </div>
    </section>
  );
}
