import { lazy, Suspense } from 'react';
import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';

// CodeMirror and the editor load only when the editor first opens: never in the entry chunk.
const FeatureEditor = lazy(() => import('./FeatureEditor.tsx'));

/** Mounts the feature editor while one is open. */
export function FeatureEditorHost() {
  const studio = useStudio();
  const open = useStore(studio.userDefs, (s) => s.editor !== undefined);
  if (!open) return null;
  return (
    <Suspense
      fallback={
        <div className="modal-backdrop">
          <p className="modal" role="status">
            Loading the editor…
          </p>
        </div>
      }
    >
      <FeatureEditor />
    </Suspense>
  );
}
