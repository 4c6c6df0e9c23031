import type { PointerEvent } from 'react';

export interface SplitterProps {
  /** `x`: drags left/right; `y`: up/down. */
  readonly axis: 'x' | 'y';
  /** CSS variable holding the panel's size, set live on the studio root while dragging. */
  readonly cssVar: string;
  readonly size: number;
  /** +1: the panel grows as the pointer moves right/down; -1: as it moves left/up. */
  readonly sign: 1 | -1;
  readonly min: number;
  readonly max: number;
  /** The final size, once per drag (saved with the layout). */
  readonly onCommit: (size: number) => void;
  readonly label: string;
}

/**
 * A drag handle between two panels. While dragging it only sets a CSS variable (no React render
 * per pointer move); the final size is committed once, on release.
 */
export function Splitter({ axis, cssVar, size, sign, min, max, onCommit, label }: SplitterProps) {
  const down = (e: PointerEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    const root = el.closest<HTMLElement>('.studio') ?? document.documentElement;
    el.setPointerCapture(e.pointerId);
    const start = axis === 'x' ? e.clientX : e.clientY;
    let next = size;
    const move = (ev: globalThis.PointerEvent) => {
      const d = (axis === 'x' ? ev.clientX : ev.clientY) - start;
      next = Math.round(Math.min(max, Math.max(min, size + sign * d)));
      root.style.setProperty(cssVar, `${next}px`);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.classList.remove('dragging');
      if (next !== size) onCommit(next);
    };
    el.classList.add('dragging');
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return (
    <div
      className={`splitter splitter-${axis}`}
      role="separator"
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-label={label}
      onPointerDown={down}
    />
  );
}
