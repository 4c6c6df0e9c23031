import { useState } from 'react';
import { useStore } from 'zustand';
import type { ClusterCredentials } from '../../cluster/connectClusterWs.ts';
import { ownerText } from '../../cluster/status.ts';
import { useStudio } from '../StudioProvider.tsx';
import { loadClusterLogin } from './clusterLogin.ts';
import { clusterSession } from './clusterSession.ts';
import { DeployForm } from './DeployForm.tsx';
import { MarketReplayForm } from './MarketReplayForm.tsx';

const secText = (s: number | null): string => (s === null ? '—' : `${s.toFixed(1)} s`);

/**
 * The Cluster tab: connect to a nats-server's websocket listener, list the deployed pipelines
 * with `featurizer status`'s figures, open one on the canvas with the cluster's live values.
 * Credentials stay in memory unless "Remember" is ticked; they never enter a URL or share link.
 */
export function ClusterPanel() {
  const studio = useStudio();
  const session = clusterSession(studio);
  const state = useStore(session.store);
  const [saved] = useState(() => loadClusterLogin(studio.storage));
  const [url, setUrl] = useState(saved.url);
  const [kind, setKind] = useState<ClusterCredentials['kind']>(saved.credentials.kind);
  const c = saved.credentials;
  const [token, setToken] = useState(c.kind === 'token' ? c.token : '');
  const [user, setUser] = useState(c.kind === 'user' ? c.user : '');
  const [password, setPassword] = useState(c.kind === 'user' ? c.password : '');
  const [remember, setRemember] = useState(saved.remember);
  const connected = state.phase === 'connected';
  const busy = state.phase === 'connecting';

  const connect = () => {
    const credentials: ClusterCredentials =
      kind === 'token'
        ? { kind, token }
        : kind === 'user'
          ? { kind, user, password }
          : { kind: 'none' };
    void session.connect({ url, credentials, remember });
  };

  return (
    <div className="cluster-panel" aria-label="Cluster">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!connected) connect();
        }}
      >
        <label>
          Websocket URL
          <input
            value={url}
            disabled={connected || busy}
            placeholder="wss://nats1:8443"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <label>
          Sign in with
          <select
            value={kind}
            disabled={connected || busy}
            onChange={(e) => setKind(e.target.value as ClusterCredentials['kind'])}
          >
            <option value="none">No credentials</option>
            <option value="token">Token</option>
            <option value="user">User and password</option>
          </select>
        </label>
        {kind === 'token' && (
          <label>
            Token
            <input
              type="password"
              autoComplete="off"
              value={token}
              disabled={connected || busy}
              onChange={(e) => setToken(e.target.value)}
            />
          </label>
        )}
        {kind === 'user' && (
          <>
            <label>
              User
              <input
                value={user}
                disabled={connected || busy}
                onChange={(e) => setUser(e.target.value)}
              />
            </label>
            <label>
              Password
              <input
                type="password"
                value={password}
                disabled={connected || busy}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        )}
        <label className="cluster-remember">
          <input
            type="checkbox"
            checked={remember}
            disabled={connected || busy}
            onChange={(e) => setRemember(e.target.checked)}
          />
          Remember credentials in this browser
        </label>
        {connected ? (
          // Its own key: reusing this element as the submit button while the click is still
          // being handled would submit the form, connecting again at once.
          <button key="disconnect" type="button" onClick={() => void session.disconnect()}>
            Disconnect
          </button>
        ) : (
          <button key="connect" type="submit" disabled={busy || url.trim() === ''}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        )}
      </form>
      <p className="cluster-state" role="status" data-phase={state.phase}>
        {state.phase === 'connected'
          ? `Connected to ${state.url ?? ''}`
          : state.phase === 'connecting'
            ? 'Connecting…'
            : 'Not connected'}
      </p>
      {state.error && (
        <p className="cluster-error" role="alert">
          {state.error}
        </p>
      )}
      {connected && (
        <table className="cluster-pipelines" aria-label="Deployed pipelines">
          <thead>
            <tr>
              <th>Pipeline</th>
              <th>Subgraph</th>
              <th>Owner</th>
              <th>Lag</th>
              <th>Checkpoint</th>
              <th>Restarts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.pipelines.length === 0 && (
              <tr>
                <td colSpan={7}>No pipeline deployed yet (featurizer deploy).</td>
              </tr>
            )}
            {state.pipelines.flatMap((p) =>
              p.subgraphs.map((s, i) => (
                <tr key={`${p.name}.${s.index}`} data-pipeline={p.name}>
                  <td>{i === 0 ? p.name : ''}</td>
                  <td>{s.index}</td>
                  <td>{ownerText(s)}</td>
                  <td>
                    {s.lagMessages} msg / {secText(s.lagSec)}
                  </td>
                  <td>{secText(s.checkpointAgeSec)}</td>
                  <td>{s.restarts}</td>
                  <td>
                    {i === 0 && (
                      <button type="button" onClick={() => void session.open(p.name)}>
                        Open {p.name}
                      </button>
                    )}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {connected && <DeployForm session={session} />}
      {connected && <MarketReplayForm market={session.market} open={state.open} />}
    </div>
  );
}
