import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { findDefinition } from '../core/definitions/registry.ts';
import { resolveParams } from '../core/params/ParamSchema.ts';

/** Fields that are prices (in the quote currency of the instrument: USDT for BTC-USDT). */
const PRICE = new Set([
  'price',
  'bid',
  'ask',
  'mid_price',
  'microprice',
  'open',
  'high',
  'low',
  'close',
  'vwap',
]);
/** Fields that are sizes (in the base currency: BTC for BTC-USDT). */
const SIZE = new Set(['amount', 'volume']);
/** Fields that are notionals (quote currency). */
const NOTIONAL = new Set(['bid_notional', 'ask_notional']);
/** Fields whose unit does not depend on the instrument. */
const FIXED: ReadonlyMap<string, string> = new Map([
  ['spread_bps', 'bps'],
  ['spread', 'ratio'],
  ['tvi', 'ratio'],
  ['imbalance', 'ratio'],
  ['log_return', 'ratio'],
  ['rate', '/s'],
  ['count', 'trades'],
  ['num_trades', 'trades'],
]);
/** Fields in the unit of their (scalar) input: a stddev of prices is a price, of a ratio a ratio. */
const AS_INPUT = new Set(['volatility', 'ewma', 'diff']);

/** Per node id, the unit of each numeric field (fields without a known unit are absent). */
export type NodeUnits = ReadonlyMap<string, ReadonlyMap<string, string>>;

const cache = new WeakMap<object, NodeUnits>();

/**
 * The unit of every node's fields, for values on the canvas and in Combined output: prices in
 * the instrument's quote currency, sizes in its base currency, `bps`, `ratio`, `/s`; a
 * volatility, EWMA or difference in its input's unit. Computed once per document version.
 */
export function unitsOf(doc: PipelineDoc): NodeUnits {
  const hit = cache.get(doc.nodes);
  if (hit && cache.get(doc.edges) === hit) return hit;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const out = new Map<string, Map<string, string>>();
  const symbolOf = (id: string, seen = new Set<string>()): string | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    const n = byId.get(id);
    if (n && typeof n.params.symbol === 'string') return n.params.symbol;
    for (const up of inputs.get(id) ?? []) {
      const s = symbolOf(up, seen);
      if (s !== undefined) return s;
    }
    return undefined;
  };
  const visit = (id: string, depth: number): Map<string, string> => {
    const done = out.get(id);
    if (done) return done;
    const units = new Map<string, string>();
    out.set(id, units); // a cycle (an invalid draft) ends here
    const n = byId.get(id);
    const def = n && findDefinition(n.definition);
    if (!n || !def || depth > 64) return units;
    const fields = Object.keys(def.outputSchema(resolveParams(def.params, n.params).params));
    const [base, quote] = (symbolOf(id) ?? '').split(/[-/]/);
    for (const f of fields) {
      let u: string | undefined;
      if (PRICE.has(f) || NOTIONAL.has(f)) u = quote || undefined;
      else if (SIZE.has(f)) u = base || undefined;
      else if (FIXED.has(f)) u = FIXED.get(f);
      else if (AS_INPUT.has(f)) {
        const up = (inputs.get(id) ?? [])[0];
        if (up !== undefined) u = [...visit(up, depth + 1).values()][0];
      }
      if (u !== undefined) units.set(f, u);
    }
    return units;
  };
  for (const n of doc.nodes) visit(n.id, 0);
  cache.set(doc.nodes, out);
  cache.set(doc.edges, out);
  return out;
}
