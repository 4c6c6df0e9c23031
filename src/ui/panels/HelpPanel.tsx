import { useUi } from '../hooks.ts';
import { SHORTCUTS } from '../keyboard.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useEscape } from './useEscape.ts';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

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
        <table>
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
            <tr>
              <td>
                <kbd>Shift</kbd> drag
              </td>
              <td>Box-select</td>
            </tr>
            <tr>
              <td>
                <kbd>{MOD}</kbd> click
              </td>
              <td>Add to selection</td>
            </tr>
          </tbody>
        </table>
        <div className="button-row">
          <button onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}
