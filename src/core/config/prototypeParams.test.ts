import { describe, expect, it } from 'vitest';
import { resolveParams } from '../params/ParamSchema.ts';
import { ConfigError } from './ConfigError.ts';
import { featuresFromConfig } from './featuresFromConfig.ts';
import { parseFeaturizerConfig } from './parseFeaturizerConfig.ts';

/** Every Object.prototype member a config could name as a param. */
const PROTO_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
];

function messages(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('params named after Object.prototype members', () => {
  it.each(PROTO_NAMES)('%s is an unknown param of a schema (resolveParams)', (name) => {
    const raw = JSON.parse(`{${JSON.stringify(name)}: 3}`) as Record<string, unknown>;
    const { errors } = resolveParams({ window: { type: 'duration', description: 'w' } }, {
      ...raw,
      window: '1s',
    } as Record<string, unknown>);
    expect(errors.map((e) => e.param)).toEqual([name]);
    expect(errors[0]!.message).toMatch(new RegExp(`^unknown param "${name}" \\(known: window\\)`));
  });

  it.each(PROTO_NAMES)('%s in a YAML feature params is reported with its path', (name) => {
    const yaml = `feature_configs:
  - feature_definition: price.mid_price_fd
    params:
      data_source:
        - { exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT }
      feature:
        0: { dep_schema: ticker, ${name}: 1 }
`;
    expect(messages(() => featuresFromConfig(parseFeaturizerConfig(yaml)))).toEqual([
      `feature_configs[0].params.feature[0].${name}: price.mid_price_fd: unknown param "${name}" (known: sampling, dep_schema)`,
    ]);
  });

  it.each(PROTO_NAMES)('%s in a JSON data source is reported too', (name) => {
    const json = JSON.stringify({
      feature_configs: [
        {
          feature_definition: 'trades',
          params: {
            data_source: [
              { exchange: 'BINANCE', instrument_type: 'spot', symbol: 'BTC-USDT', [name]: 'x' },
            ],
          },
        },
      ],
    });
    const issues = messages(() => featuresFromConfig(parseFeaturizerConfig(json)));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      new RegExp(
        `^feature_configs\\[0\\]\\.params\\.data_source\\[0\\]\\.${name}: trades: unknown param "${name}"`,
      ),
    );
  });
});
