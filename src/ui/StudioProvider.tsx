import { createContext, type ReactNode, useContext } from 'react';
import type { Studio } from './studio.ts';

const StudioContext = createContext<Studio | undefined>(undefined);

/**
 * Hands a studio (see `createStudio`) to the components below, the way React Flow and zustand
 * bind a framework-free engine: the stores live outside React, React only reads them.
 */
export function StudioProvider({ studio, children }: { studio: Studio; children: ReactNode }) {
  return <StudioContext.Provider value={studio}>{children}</StudioContext.Provider>;
}

/** The studio of the enclosing {@link StudioProvider}. */
export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio() outside a <StudioProvider>');
  return studio;
}
