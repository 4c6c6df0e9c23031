import * as act from './actions.ts';
import * as clip from './clipboardActions.ts';
import type { Studio } from './studio.ts';

/** Shortcut table: drives both the key handler and the help panel, so they cannot disagree. */
export const SHORTCUTS: readonly { keys: string; label: string; run: (studio: Studio) => void }[] =
  [
    { keys: 'Mod+Z', label: 'Undo', run: act.undo },
    { keys: 'Mod+Shift+Z', label: 'Redo', run: act.redo },
    { keys: 'Mod+Y', label: 'Redo', run: act.redo },
    {
      keys: 'Mod+C',
      label: 'Copy selection (as pipeline JSON)',
      run: (s) => void clip.copySelection(s),
    },
    { keys: 'Mod+X', label: 'Cut selection', run: (s) => void clip.cutSelection(s) },
    { keys: 'Mod+V', label: 'Paste', run: (s) => void clip.paste(s) },
    { keys: 'Mod+D', label: 'Duplicate selection', run: clip.duplicateSelection },
    { keys: 'Mod+A', label: 'Select all', run: act.selectAll },
    { keys: 'Delete', label: 'Delete selection', run: act.deleteSelection },
    { keys: 'Backspace', label: 'Delete selection', run: act.deleteSelection },
    { keys: 'Mod+Enter', label: 'Run / stop', run: act.toggleRun },
    { keys: 'L', label: 'Tidy layout', run: (s) => void act.tidy(s) },
    { keys: 'F', label: 'Fit view', run: (s) => s.canvasApi.current?.fitView() },
    {
      keys: 'Shift+?',
      label: 'Keyboard shortcuts',
      run: (s) => s.uiStore.setState((u) => ({ help: !u.help })),
    },
    { keys: 'Escape', label: 'Clear selection / close panel', run: escape },
  ];

/**
 * Keys while a replay is open (the timeline's handler reads this table, so the help panel lists
 * exactly what it does): `key` is `KeyboardEvent.key`, `keys` how the help panel shows it.
 */
export const REPLAY_SHORTCUTS = [
  { key: ' ', keys: 'Space', label: 'Play / pause the replay', action: 'toggle' },
  { key: 'ArrowLeft', keys: '←', label: 'One event back', action: 'back' },
  { key: 'ArrowRight', keys: '→', label: 'One event forward', action: 'forward' },
] as const;

/** Mouse gestures, for the help panel (React Flow, the timeline and the charts handle them). */
export const GESTURES: readonly { keys: string; label: string }[] = [
  { keys: 'Shift drag', label: 'Box-select nodes' },
  { keys: 'Mod click', label: 'Add a node to the selection' },
  { keys: 'Double-click', label: 'Add a palette entry to the canvas' },
  { keys: 'Right-click', label: 'Node menu (chart, duplicate, delete)' },
  { keys: 'Click / drag', label: 'Replay track: seek' },
  { keys: 'Shift drag', label: 'Replay track: select a loop range (⟲ Loop loops it)' },
  { keys: 'Drag / scroll', label: 'Chart: pan / zoom (stops following live)' },
  { keys: 'Double-click', label: 'Chart: follow live again' },
];

function escape(s: Studio): void {
  const ui = s.uiStore.getState();
  if (ui.help || ui.importOpen)
    s.uiStore.setState({ help: false, importOpen: false, importResult: undefined });
  else s.selectionStore.getState().clear();
}

/** `Mod+Shift+Z` style name of a key event (Mod = Ctrl, or ⌘ on macOS). */
export function keyName(e: KeyboardEvent): string {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  return [mod && 'Mod', e.shiftKey && 'Shift', key].filter(Boolean).join('+');
}

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Install the global shortcut handler; returns its remover. */
export function installShortcuts(studio: Studio): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (isEditable(e.target)) return;
    const name = keyName(e);
    const hit = SHORTCUTS.find((s) => s.keys === name);
    if (!hit) return;
    e.preventDefault();
    hit.run(studio);
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
