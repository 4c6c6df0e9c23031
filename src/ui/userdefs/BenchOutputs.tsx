import type { BenchResult } from '../../session/userBench.ts';

const ROWS = 20;

/** A small line chart of one numeric field (SVG path, scaled to the values). */
function Chart({ values }: { values: readonly number[] }) {
  if (values.length < 2) return null;
  const w = 320;
  const h = 70;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  const d = values
    .map((v, i) => {
      const x = (i / (values.length - 1)) * w;
      const y = h - ((v - lo) / span) * h;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join('');
  return (
    <svg className="bench-chart" viewBox={`0 0 ${w} ${h}`} data-testid="bench-chart" role="img">
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}

/** What the bench produced: problems, a failure with its event, or outputs as table + chart. */
export function BenchOutputs({ result, busy }: { result: BenchResult | undefined; busy: boolean }) {
  const status = busy ? 'compiling…' : result === undefined ? 'waiting for input' : undefined;
  if (status) {
    return (
      <p className="muted" role="status" data-testid="bench-status">
        {status}
      </p>
    );
  }
  if (!result!.ok) {
    return (
      <ul className="bench-problems" role="alert" data-testid="bench-problems">
        {result!.problems.map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    );
  }
  const r = result!;
  const schema = Object.keys(r.definition.manifest.output.schema);
  const first = schema.find((f) => r.definition.manifest.output.schema[f] === 'number');
  const rows = r.outputs.slice(-ROWS);
  return (
    <div data-testid="bench-result">
      <p className="muted" role="status" data-testid="bench-status">
        {r.outputs.length} outputs{r.outputs.length >= 200 ? ' (the last 200)' : ''}
      </p>
      {r.inputError && <p className="error">{r.inputError}</p>}
      {r.failure && (
        <p className="error" role="alert" data-testid="bench-failure">
          Failed: {r.failure.message}
          {r.failure.event &&
            ` — on ${r.failure.slot} event ${JSON.stringify(r.failure.event).slice(0, 160)}`}
        </p>
      )}
      {first && <Chart values={r.outputs.map((o) => o[first] as number)} />}
      <table className="bench-table" data-testid="bench-table">
        <thead>
          <tr>
            <th>timestamp</th>
            {schema.map((f) => (
              <th key={f}>{f}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((o, i) => (
            <tr key={i}>
              <td>{String(o.timestamp)}</td>
              {schema.map((f) => (
                <td key={f}>{typeof o[f] === 'object' ? JSON.stringify(o[f]) : String(o[f])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
