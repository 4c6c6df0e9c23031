import { describe, expect, it } from 'vitest';
import { importText } from './importText.ts';

const doc = (exchange: string) =>
  JSON.stringify(
    {
      version: 1,
      name: 'venue',
      nodes: [
        { id: 'trades', definition: 'trades', params: { exchange, symbol: 'BTC-USDT' } },
        { id: 'tvi', name: 'tvi', definition: 'tvi.trade_volume_imb_fd', params: {} },
      ],
      edges: [{ id: 'e', source: 'trades', target: 'tvi', targetSlot: 'trades' }],
    },
    null,
    2,
  );

describe('importText', () => {
  it('flags a source on an unknown exchange, located like other fields, and still imports', () => {
    const r = importText(doc('NOPE'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(1);
    const [w] = r.warnings;
    expect(w!.path).toBe('nodes[0].params.exchange');
    expect(w!.nodeId).toBe('trades');
    expect(w!.message).toMatch(/unknown exchange "NOPE" \(supported: SIM, BINANCE/);
    // Line 9 of the pretty-printed text holds `"exchange": "NOPE"`.
    expect(doc('NOPE').split('\n')[w!.line! - 1]).toContain('"exchange": "NOPE"');
    expect(importText(doc('SIM'))).toMatchObject({ ok: true, warnings: [] });
  });

  it('lists known definitions by their palette names (with the id to write) when nothing is near', () => {
    const r = importText(doc('SIM').replace('"tvi.trade_volume_imb_fd"', '"zzzzzz"'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const m = r.issues.map((i) => i.message).join('\n');
    expect(m).toContain('unknown definition "zzzzzz" (known: ');
    expect(m).toContain('Mid price (price.mid_price_fd)');
  });
});
