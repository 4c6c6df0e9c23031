import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useStudio } from './StudioProvider.tsx';

export type Theme = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: light)';

/** The system's scheme (dark where the browser cannot say). */
function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(QUERY).matches ? 'light' : 'dark';
}

/**
 * The theme in force: the user's choice (Settings → Display), or the system's
 * `prefers-color-scheme` when they chose "System" (followed live as it changes).
 */
export function useTheme(): Theme {
  const choice = useStore(useStudio().prefsStore, (p) => p.theme);
  const [system, setSystem] = useState<Theme>(systemTheme);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(QUERY);
    const on = () => setSystem(mq.matches ? 'light' : 'dark');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return choice === 'system' ? system : choice;
}

/** Applies the theme to the page: `data-theme` on <html> selects App.css's variables. */
export function useApplyTheme(): Theme {
  const theme = useTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}

/** A CSS variable of the page's current theme (charts draw on canvases and need colours). */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
