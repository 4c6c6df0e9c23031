import { useMemo } from 'react';
import { formatEvent } from '../format.ts';
import { usePipeline, useValues } from '../hooks.ts';
import { combinedRow, outputNodes } from './combinedRow.ts';
import { useStudio } from '../StudioProvider.tsx';

/** `1 output`, `5 outputs`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The combined output as the model would see it: one row of every output feature's latest event,
 * once all have emitted. Refreshed with the values store (≤ 10×/s).
 */
export function CombinedTable() {
  const studio = useStudio();
  const edges = usePipeline((s) => s.doc.edges);
  const nodes = usePipeline((s) => s.doc.nodes);
  const outputs = useMemo(
    () => outputNodes({ version: 1, name: '', nodes, edges }),
    [nodes, edges],
  );
  const values = useValues((s) => s.values);
  const row = combinedRow(outputs, values);
  const waiting = outputs.filter((o) => !values.has(o.id)).map((o) => o.name);
  const copy = () => {
    if (!row) return;
    void navigator.clipboard
      .writeText(JSON.stringify(row, null, 2))
      .then(() => studio.toast('Copied the combined row as JSON'))
      .catch(() => studio.toast('Clipboard not available', 'error'));
  };
  return (
    <div className="combined" data-testid="combined-table">
      <div className="combined-bar">
        <span className="muted small">
          {row
            ? `${plural(row.length, 'output')} · latest event of each`
            : `Waiting for ${waiting.length} of ${plural(outputs.length, 'output')}: ${waiting.join(', ')}`}
        </span>
        <button className="button" disabled={!row} onClick={copy}>
          Copy as JSON
        </button>
      </div>
      {row && (
        <table>
          <thead>
            <tr>
              <th>feature</th>
              <th>value</th>
              <th>event time</th>
            </tr>
          </thead>
          <tbody>
            {row.map(([name, e]) => (
              <tr key={name} data-testid={`combined-${name}`}>
                <td>{name}</td>
                <td className="mono" data-testid="combined-value">
                  {formatEvent(e, Infinity)}
                </td>
                <td className="mono muted">
                  {new Date(e.timestamp * 1000).toISOString().slice(11, 23)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
