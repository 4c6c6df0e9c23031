import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/ConfigError.ts';
import { runBatch } from './runBatch.ts';

const config = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source: [{ exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT }]
      feature: { 0: { dep_schema: ticker } }
`;
const input =
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"ticker",' +
  '"event":{"timestamp":1,"receipt_timestamp":1.5,"bid":100,"ask":102}}\n';

describe('runBatch (the browser entry)', () => {
  it('turns config and input text into output text', () => {
    expect(runBatch(config, input, { format: 'ndjson' })).toBe(
      '{"feature":"mid","timestamp":1,"receipt_timestamp":1.5,"mid_price":101}\n',
    );
    expect(runBatch(config, input, { format: 'csv' })).toBe(
      'timestamp,receipt_timestamp,mid-mid_price\n1,1.5,101\n',
    );
    expect(() => runBatch('{"feature_configs": []}', '', { format: 'csv' })).toThrow(ConfigError);
  });

  it('reports an unknown definition as a ConfigError naming it and its line', () => {
    const bad = config.replace('price.mid_price_fd', 'price.nope');
    const err = (() => {
      try {
        runBatch(bad, input, { format: 'ndjson' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.issues[0]).toMatchObject({ line: 2 });
    expect(err.issues[0]!.message).toMatch(/unknown definition "price\.nope"/);
  });
});
