import { useStudio, useUi } from '../hooks.ts';

/** While a connection is dragged over a port that would reject it, says why. */
export function ConnectionHint() {
  const hint = useUi((s) => s.hint);
  const studio = useStudio();
  const toast = useUi((s) => s.toast);
  return (
    <>
      {hint && (
        <div className="connection-hint" role="status" data-testid="connection-hint">
          <span className="hint-icon">⊘</span> {hint}
        </div>
      )}
      {toast && !hint && (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          role="status"
          data-testid="toast"
        >
          {toast.text}
          {toast.action && (
            <button
              className="toast-action"
              onClick={() => {
                studio.uiStore.setState({ toast: undefined });
                toast.action!.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
        </div>
      )}
    </>
  );
}
