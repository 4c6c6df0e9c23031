import { type DragEvent, useState } from 'react';
import { useStore } from 'zustand';
import { addDefinition } from '../actions.ts';
import { DEFINITION_MIME } from '../canvas/dragMime.ts';
import { useStudio } from '../StudioProvider.tsx';
import { openEditor } from './userDefsStore.ts';

/** The template and examples load on first use, not with the palette (issue #14). */
const templates = () => import('./templates.ts');

function onDragStart(e: DragEvent, name: string): void {
  e.dataTransfer.setData(DEFINITION_MIME, name);
  e.dataTransfer.effectAllowed = 'copy';
}

/** The palette's "My features": New feature, the saved definitions, and the examples to start from. */
export function MyFeatures() {
  const studio = useStudio();
  const mine = useStore(studio.userDefs, (s) => s.mine);
  const [examples, setExamples] = useState<ReadonlyMap<string, string> | undefined>(undefined);
  return (
    <section className="palette-group my-features" aria-label="My features">
      <h3>My features</h3>
      <button
        className="primary new-feature"
        data-testid="new-feature"
        onClick={() =>
          void templates().then((t) => openEditor(studio, undefined, t.NEW_FEATURE_TEMPLATE))
        }
      >
        New feature
      </button>
      <ul>
        {mine.map((d) => (
          <li
            key={d.name}
            data-testid={`definition-${d.name}`}
            className="palette-item g-custom"
            draggable
            tabIndex={0}
            title={`${d.name}\nDrag onto the canvas or double-click to add; Edit to change the code`}
            onDragStart={(e) => onDragStart(e, d.name)}
            onDoubleClick={() => addDefinition(studio, d.name)}
            onKeyDown={(e) => e.key === 'Enter' && addDefinition(studio, d.name)}
          >
            <div className="palette-title">{d.manifest.title}</div>
            <div className="palette-desc">{d.manifest.description}</div>
            <button
              className="link"
              data-testid={`edit-${d.name}`}
              onClick={() => openEditor(studio, d.name, d.source)}
            >
              Edit
            </button>
          </li>
        ))}
      </ul>
      {examples === undefined ? (
        <button
          className="link"
          onClick={() => void templates().then((t) => t.exampleSources().then(setExamples))}
        >
          Examples…
        </button>
      ) : (
        <ul className="examples" aria-label="Examples">
          {[...examples].map(([file, text]) => (
            <li key={file}>
              <button
                className="link"
                data-testid={`example-${file}`}
                onClick={() => openEditor(studio, undefined, text)}
              >
                {file.replaceAll('_', ' ')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
