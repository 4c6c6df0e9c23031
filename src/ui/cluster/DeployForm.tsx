import { useState } from 'react';
import { type ClusterScaling, SCALINGS } from '../../cluster/Deployment.ts';
import type { ClusterSession } from './clusterSession.ts';

/** "Deploy the pipeline on screen": a name, how to split it, where in the market to start. */
export function DeployForm({ session }: { session: ClusterSession }) {
  const [name, setName] = useState('');
  const [scaling, setScaling] = useState<ClusterScaling>('single');
  const [from, setFrom] = useState<'start' | 'now'>('start');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="cluster-deploy"
      aria-label="Deploy the pipeline on screen"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void session.deployCurrent(name, scaling, from).then((err) => {
          setBusy(false);
          setError(err);
          if (!err) setName('');
        });
      }}
    >
      <label>
        Deploy as
        <input value={name} placeholder="pipeline name" onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Scaling
        <select value={scaling} onChange={(e) => setScaling(e.target.value as ClusterScaling)}>
          {SCALINGS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <select value={from} onChange={(e) => setFrom(e.target.value as 'start' | 'now')}>
          <option value="start">the start of the market stream</option>
          <option value="now">now</option>
        </select>
      </label>
      <button type="submit" disabled={busy || name.trim() === ''}>
        Deploy
      </button>
      {error && (
        <p className="cluster-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
