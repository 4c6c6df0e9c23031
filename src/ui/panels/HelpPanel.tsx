import { useUi } from '../hooks.ts';
import { GESTURES, REPLAY_SHORTCUTS, SHORTCUTS } from '../keyboard.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useEscape } from './useEscape.ts';

const MOD = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? '') ? '⌘' : 'Ctrl';

/** Keyboard shortcuts, generated from the same table the key handler uses. */
export function HelpPanel() {
  const studio = useStudio();
  const open = useUi((s) => s.help);
  const close = () => studio.uiStore.setState({ help: false });
  useEscape(close, open);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal help"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table data-testid="help-shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  {s.keys.split('+').map((k) => (
                    <kbd key={k}>{k === 'Mod' ? MOD : k}</kbd>
                  ))}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>While a replay is open</h3>
        <table data-testid="help-replay">
          <tbody>
            {REPLAY_SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Mouse</h3>
        <table data-testid="help-mouse">
          <tbody>
            {GESTURES.map((g) => (
              <tr key={g.label}>
                <td>
                  {g.keys.split(' ').map((k) => (
                    <kbd key={k}>{k === 'Mod' ? MOD : k}</kbd>
                  ))}
                </td>
                <td>{g.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="button-row">
          <button
            data-testid="guide-again"
            onClick={() => {
              studio.prefsStore.set({ guideDone: false, guideStep: 0 });
              close();
            }}
          >
            Show the getting-started guide
          </button>
          <button onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}
