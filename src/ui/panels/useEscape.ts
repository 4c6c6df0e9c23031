import { useEffect, useRef } from 'react';

/**
 * Escape closes the open dialog, wherever the focus is, a text field inside it included (the
 * global shortcut handler ignores keys typed into fields). Listens in the capture phase so a
 * field's own Escape handling cannot keep the dialog open.
 */
export function useEscape(close: () => void, enabled = true): void {
  const latest = useRef(close);
  useEffect(() => {
    latest.current = close;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
