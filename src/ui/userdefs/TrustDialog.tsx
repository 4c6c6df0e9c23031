import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';
import { trustDefinitions, untrustedIn } from './userDefsActions.ts';

/**
 * The trust gate (docs/custom-features.md#trust): while the open pipeline carries code from an
 * imported file or a share link that nobody trusted, a banner says so and its nodes do not run;
 * "Review code" shows every such definition's full source, and only "Trust and run" runs it.
 */
export function TrustDialog() {
  const studio = useStudio();
  const doc = useStore(studio.pipelineStore, (s) => s.doc);
  const review = useStore(studio.userDefs, (s) => s.review);
  const untrusted = untrustedIn(doc);
  if (review === undefined) {
    if (untrusted.length === 0) return null;
    return (
      <div className="trust-banner" role="alert" data-testid="trust-banner">
        This pipeline carries code from outside this studio (
        {untrusted.map((d) => d.name).join(', ')}): its nodes do not run until you trust it.
        <button onClick={() => studio.userDefs.setState({ review: untrusted })}>Review code</button>
      </div>
    );
  }
  return (
    <div className="modal-backdrop">
      <div
        className="modal trust"
        role="dialog"
        aria-label="Review code"
        data-testid="trust-dialog"
      >
        <h2>Review code before running it</h2>
        <p className="muted">
          This code came with the pipeline, not from you. It runs in the pipeline workers with the
          studio’s rights once you trust it. Read it first.
        </p>
        {review.map((d) => (
          <section key={d.name}>
            <h3>
              {d.manifest.title} <code>{d.name}</code>{' '}
              <span className="muted">#{d.hash.slice(0, 8)}</span>
            </h3>
            <pre className="trust-source" data-testid={`trust-source-${d.name}`}>
              {d.source}
            </pre>
          </section>
        ))}
        <div className="modal-actions">
          <button onClick={() => studio.userDefs.setState({ review: undefined })}>Not now</button>
          <button
            className="primary"
            data-testid="trust-and-run"
            onClick={() => trustDefinitions(studio, review)}
          >
            Trust and run
          </button>
        </div>
      </div>
    </div>
  );
}
