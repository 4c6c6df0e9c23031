// Pipeline documents embedding user definitions, as the studio's export writes them (compiled
// here, in Node, with the same compiler the CLI and the workers use).
import { compileDefinitionOrThrow } from '../src/core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../src/core/userdef/embeddedDefinitions.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };

/** book → snapshot → built-in `mid` and one user node per source (`umid`, `umid2`, …). */
export function embeddedFor(...sources: string[]): object {
  const defs = sources.map((s) => compileDefinitionOrThrow(s));
  const user = defs.map((d, i) => ({
    id: i === 0 ? 'umid' : `umid${i + 1}`,
    name: i === 0 ? 'umid' : `umid${i + 1}`,
    definition: d.name,
    params: {},
    position: { x: 600, y: 180 + 160 * i },
  }));
  return {
    version: 1,
    name: 'shared user features',
    nodes: [
      { id: 'book', definition: 'l2_book', params: SIM, position: { x: 0, y: 40 } },
      {
        id: 'snapshot',
        definition: 'l2_book.l2_snapshot_fd',
        params: { depth: 10 },
        position: { x: 300, y: 40 },
      },
      {
        id: 'mid',
        name: 'mid',
        definition: 'price.mid_price_fd',
        params: {},
        position: { x: 600, y: 0 },
      },
      ...user,
    ],
    edges: [
      { id: 'e1', source: 'book', target: 'snapshot' },
      { id: 'e2', source: 'snapshot', target: 'mid' },
      ...user.map((u) => ({ id: `e-${u.id}`, source: 'snapshot', target: u.id })),
    ],
    definitions: embedDefinitions(defs),
  };
}
