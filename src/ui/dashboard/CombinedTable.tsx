import { useMemo } from 'react';
import { EventText } from '../EventText.tsx';
import { clockText } from '../timeText.ts';
import { usePipeline, useValues, useUtc } from '../hooks.ts';
import { outputNodes } from '../../core/config/outputNodes.ts';
import { combinedRow } from './combinedRow.ts';
import { unitsOf } from '../units.ts';
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
  const utc = useUtc();
  const studio = useStudio();
  const edges = usePipeline((s) => s.doc.edges);
  const nodes = usePipeline((s) => s.doc.nodes);
  const outputs = useMemo(
    () => outputNodes({ version: 1, name: '', nodes, edges }),
    [nodes, edges],
  );
  const values = useValues((s) => s.values);
  const units = usePipeline((s) => unitsOf(s.doc));
  const idOf = new Map(outputs.map((o) => [o.name, o.id]));
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
                  <EventText
                    event={e}
                    maxFields={Infinity}
                    units={units.get(idOf.get(name) ?? '')}
                  />
                </td>
                <td className="mono muted">{clockText(e.timestamp, true, utc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
