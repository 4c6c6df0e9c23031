import { useState } from 'react';
import { useStore } from 'zustand';
import { supportedExchanges } from '../../sources/adapters/registry.ts';
import { useUi } from '../hooks.ts';
import { endpointProblem } from './endpointSettings.ts';
import { SCALING_CHOICES, type ScalingKind } from './scalingSettings.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useEscape } from '../panels/useEscape.ts';

/** A row of toggle buttons: one pressed, each click applies at once (and is saved). */
function Segmented<T extends string>(p: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  testId: string;
}) {
  return (
    <div className="segmented" role="group" aria-label={p.label} data-testid={p.testId}>
      <span className="field-name">{p.label}</span>
      {p.options.map((o) => (
        <button
          key={o.value}
          aria-pressed={p.value === o.value}
          className={p.value === o.value ? 'active' : ''}
          onClick={() => p.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** Display preferences: applied at once and kept in this browser (not in pipelines). */
function DisplayPrefs() {
  const { prefsStore } = useStudio();
  const utc = useStore(prefsStore, (p) => p.utc);
  const theme = useStore(prefsStore, (p) => p.theme);
  return (
    <section className="display-prefs">
      <h2>Display</h2>
      <Segmented
        label="Times"
        testId="pref-time"
        value={utc ? 'utc' : 'local'}
        options={[
          { value: 'local', label: 'Local time' },
          { value: 'utc', label: 'UTC' },
        ]}
        onChange={(v) => prefsStore.set({ utc: v === 'utc' })}
      />
      <Segmented
        label="Theme"
        testId="pref-theme"
        value={theme}
        options={[
          { value: 'system', label: 'System' },
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ]}
        onChange={(v) => prefsStore.set({ theme: v })}
      />
    </section>
  );
}

/**
 * Venue endpoints: point any venue at another websocket origin (the local exchange simulator, a
 * proxy). Saved in this browser; `?ws.VENUE=` in the page URL still wins. Applying restarts a
 * running pipeline so its feeds reconnect to the new endpoints.
 */
export function SettingsDialog() {
  const open = useUi((s) => s.settingsOpen);
  if (!open) return null;
  return <SettingsForm />;
}

function SettingsForm() {
  const studio = useStudio();
  const [draft, setDraft] = useState<Record<string, string>>(() => ({
    ...studio.savedEndpoints(),
  }));
  const [scaling, setScaling] = useState<ScalingKind>(() => studio.scaling());
  const close = () => studio.uiStore.setState({ settingsOpen: false });
  useEscape(close);
  const problems = Object.entries(draft).flatMap(([venue, url]) => {
    const p = endpointProblem(url);
    return p ? [`${venue}: ${p}`] : [];
  });
  const save = (): void => {
    if (problems.length > 0) return;
    studio.applyScaling(scaling);
    studio.applyEndpoints(draft);
    close();
    studio.toast('Endpoints saved');
  };
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal"
        role="dialog"
        aria-label="Settings"
        onClick={(e) => e.stopPropagation()}
      >
        <DisplayPrefs />
        <h2>Venue endpoints</h2>
        <p className="muted">
          Leave blank for the venue's own public websocket. An origin such as{' '}
          <code>ws://127.0.0.1:8765</code> (the exchange simulator) replaces the venue's; paths are
          kept. A <code>?ws.VENUE=</code> parameter in the page URL takes precedence.
        </p>
        <table>
          <tbody>
            {supportedExchanges.map((venue) => (
              <tr key={venue}>
                <td>
                  <label htmlFor={`endpoint-${venue}`}>{venue}</label>
                </td>
                <td>
                  <input
                    id={`endpoint-${venue}`}
                    data-testid={`endpoint-${venue}`}
                    value={draft[venue] ?? ''}
                    placeholder={
                      studio.endpoints()[venue] ? `URL: ${studio.endpoints()[venue]}` : 'default'
                    }
                    spellCheck={false}
                    onChange={(e) => setDraft({ ...draft, [venue]: e.target.value })}
                    onKeyDown={(e) => e.key === 'Enter' && save()}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {problems.length > 0 && (
          <ul className="import-errors" role="alert" data-testid="endpoint-errors">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <h2>Workers</h2>
        <p className="muted">
          How live runs and replays split over Web Workers (from the next run or replay). Nodes
          placed on a worker in the inspector stay there.
        </p>
        <select
          aria-label="Workers"
          data-testid="settings-scaling"
          value={scaling}
          onChange={(e) => setScaling(e.target.value as ScalingKind)}
        >
          {SCALING_CHOICES.map((c) => (
            <option key={c.kind} value={c.kind}>
              {c.label}
            </option>
          ))}
        </select>
        <div className="modal-actions">
          <button onClick={close}>Cancel</button>
          <button
            className="primary"
            data-testid="settings-save"
            disabled={problems.length > 0}
            onClick={save}
          >
            Save
          </button>
        </div>
      </div>
    </div>
  );
}
