import { useMemo } from 'react';
import { usePipeline } from '../hooks.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useLayout } from '../dashboard/layout.ts';
import { updateNode } from '../state/commands.ts';
import { exportColumns, freeName } from '../../session/exportColumns.ts';

/**
 * Which outputs a recording's CSV/Parquet export holds (the header names it will write), and the
 * charted nodes it leaves out, each with a button that names the node, which makes it an output.
 */
export function ExportOutputs() {
  const studio = useStudio();
  const nodes = usePipeline((s) => s.doc.nodes);
  const edges = usePipeline((s) => s.doc.edges);
  const chartedKey = useLayout((l) => l.charts.flatMap((c) => c.nodeIds).join('\u0000'));
  const { names, error, missing } = useMemo(
    () =>
      exportColumns(
        { version: 1, name: '', nodes, edges },
        chartedKey ? chartedKey.split('\u0000') : [],
      ),
    [nodes, edges, chartedKey],
  );
  const add = (id: string): void => {
    const d = studio.pipelineStore.getState().doc;
    studio.pipelineStore.getState().commit(updateNode(d, id, { name: freeName(d, id) }));
    studio.toast(`Named "${freeName(d, id)}": now an output, exported to CSV and Parquet`);
  };
  return (
    <div className="rec-export-outputs small" data-testid="export-outputs">
      {error ? (
        <span className="warn" title={error}>
          CSV/Parquet export needs a config form: {error}
        </span>
      ) : (
        <span data-testid="export-names">
          <span className="muted">CSV/Parquet columns: </span>
          {names.length > 0 ? names.join(', ') : 'none (no outputs)'}
        </span>
      )}
      {missing.map((m) => (
        <span key={m.id} className="rec-export-missing" data-testid={`export-missing-${m.id}`}>
          <span className="muted">{m.label} is charted but not exported</span>
          <button
            className="link"
            data-testid={`export-add-${m.id}`}
            title="Name the node: named nodes are outputs"
            onClick={() => add(m.id)}
          >
            + Export it
          </button>
        </span>
      ))}
    </div>
  );
}
