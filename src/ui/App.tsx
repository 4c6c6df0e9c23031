import { listDefinitions, type DefinitionSummary } from '../core/definitions/registry.ts';

/** Definitions grouped by `group`, groups and definitions in registry order. */
function groupDefinitions(defs: readonly DefinitionSummary[]): Map<string, DefinitionSummary[]> {
  const groups = new Map<string, DefinitionSummary[]>();
  for (const def of defs) {
    const list = groups.get(def.group);
    if (list) list.push(def);
    else groups.set(def.group, [def]);
  }
  return groups;
}

export function App() {
  const groups = groupDefinitions(listDefinitions());
  return (
    <div className="app">
      <header className="app-header">
        <h1>Featurizer Studio</h1>
        <p className="tagline">Real-time feature pipelines for crypto market data</p>
      </header>
      <main>
        <section className="definitions" data-testid="definition-list" aria-labelledby="defs-title">
          <h2 id="defs-title">Definitions</h2>
          {groups.size === 0 && <p className="empty">No definitions registered yet.</p>}
          {[...groups].map(([group, defs]) => (
            <section key={group} className="definition-group" aria-label={group}>
              <h3>{group}</h3>
              <ul>
                {defs.map((def) => (
                  <li key={def.name} data-testid={`definition-${def.name}`} className={def.kind}>
                    <div className="definition-head">
                      <code className="definition-name">{def.name}</code>
                      <span className="definition-kind">{def.kind}</span>
                    </div>
                    <div className="definition-title">{def.title}</div>
                    <p className="definition-description">{def.description}</p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      </main>
    </div>
  );
}
