import { type DragEvent, useMemo, useState } from 'react';
import { addDefinition } from '../actions.ts';
import { DEFINITION_MIME } from '../canvas/dragMime.ts';
import { useStudio } from '../StudioProvider.tsx';
import { MyFeatures } from '../userdefs/MyFeatures.tsx';
import { PALETTE_CATALOG, type PaletteEntry } from './paletteCatalog.ts';

/** Every definition, grouped in registry order; search matches name, title and description. */
function groupsFor(query: string): [string, PaletteEntry[]][] {
  const q = query.trim().toLowerCase();
  const groups = new Map<string, PaletteEntry[]>();
  // The catalog, not the registry: the definitions' code loads beside the canvas (issue #14).
  for (const def of PALETTE_CATALOG) {
    const text = `${def.name} ${def.title} ${def.description} ${def.group}`.toLowerCase();
    if (q && !q.split(/\s+/).every((w) => text.includes(w))) continue;
    groups.set(def.group, [...(groups.get(def.group) ?? []), def]);
  }
  return [...groups];
}

function onDragStart(e: DragEvent, name: string): void {
  e.dataTransfer.setData(DEFINITION_MIME, name);
  e.dataTransfer.effectAllowed = 'copy';
}

/** The node palette: drag onto the canvas, or double-click (or Enter) to add at the centre. */
export function Palette() {
  const studio = useStudio();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupsFor(query), [query]);
  return (
    <div className="palette" data-testid="definition-list">
      <input
        className="search"
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <MyFeatures />
      {groups.length === 0 && <p className="empty">No node matches “{query}”.</p>}
      {groups.map(([group, defs]) => (
        <section key={group} className="palette-group" aria-label={group}>
          <h3>{group}</h3>
          <ul>
            {defs.map((def) => (
              <li
                key={def.name}
                data-testid={`definition-${def.name}`}
                className={`palette-item g-${def.group.replace(' ', '-')}`}
                draggable
                tabIndex={0}
                title={`${def.title}: ${def.description}\nParams: ${def.params || 'none'}\nDrag onto the canvas or double-click to add`}
                onDragStart={(e) => onDragStart(e, def.name)}
                onDoubleClick={() => addDefinition(studio, def.name)}
                onKeyDown={(e) => e.key === 'Enter' && addDefinition(studio, def.name)}
              >
                <div className="palette-title">{def.title}</div>
                <div className="palette-desc" data-testid="palette-desc">
                  {def.description}
                </div>
                <div className="palette-params">{def.params || 'no params'}</div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
