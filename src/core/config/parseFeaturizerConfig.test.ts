import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { parseConfigDate } from './configDate.ts';
import { featuresFromConfig } from './featuresFromConfig.ts';
import { locateIssues, parseFeaturizerConfig } from './parseFeaturizerConfig.ts';

function parseIssues(text: string, format?: 'yaml' | 'json'): ConfigIssue[] {
  try {
    parseFeaturizerConfig(text, format);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const YAML_MID = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source:
        - {exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT}
      feature:
        0: {dep_schema: ticker, sampling: 1s}
`;

describe('parseFeaturizerConfig', () => {
  it('parses YAML with integer depth keys into a config that builds', () => {
    const config = parseFeaturizerConfig(YAML_MID);
    expect(config.feature_configs[0]!.params!.feature).toEqual({
      0: { dep_schema: 'ticker', sampling: '1s' },
    });
    const [mid] = featuresFromConfig(config);
    expect(mid!.name).toBe('mid');
    expect(mid!.params).toEqual({ dep_schema: 'ticker', sampling: 1 });
  });

  it('parses JSON (by argument or sniffed) to the same config', () => {
    const json = JSON.stringify(parseFeaturizerConfig(YAML_MID));
    expect(parseFeaturizerConfig(json)).toEqual(parseFeaturizerConfig(YAML_MID));
    expect(parseFeaturizerConfig(`  ${json}`, 'json')).toEqual(parseFeaturizerConfig(YAML_MID));
  });

  it('names the line of a YAML syntax error', () => {
    const issues = parseIssues('feature_configs:\n  - feature_definition: a\n   bad: [1, 2\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.message).toMatch(/^YAML syntax error/);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('names the line of a JSON syntax error', () => {
    const issues = parseIssues(
      '{\n  "feature_configs": [\n    {"feature_definition": "x",}\n  ]\n}',
      'json',
    );
    expect(issues[0]!.message).toMatch(/^JSON syntax error/);
    expect(issues[0]!.line).toBe(3);
  });

  it('reports structural errors with field and line', () => {
    const text = `feature_configs:
  - feature_definition: price.mid_price_fd
    deps: mid
    params:
      data_source: BINANCE
  - name: 3
features_to_calc: [0]
`;
    const issues = parseIssues(text);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath['feature_configs[0].deps']).toMatchObject({ line: 3 });
    expect(byPath['feature_configs[0].params.data_source']).toMatchObject({ line: 5 });
    expect(byPath['feature_configs[1].feature_definition']).toMatchObject({
      line: 6,
      message: expect.stringMatching(/required/),
    });
    expect(byPath['feature_configs[1].name']).toMatchObject({ line: 6 });
    expect(byPath['features_to_calc']).toMatchObject({
      line: 7,
      message: expect.stringMatching(/unknown field "features_to_calc"/),
    });
    expect(parseIssues('just text')[0]!.message).toMatch(/expected a mapping with feature_configs/);
    expect(parseIssues('feature_configs: []')[0]).toMatchObject({
      path: 'feature_configs',
      message: expect.stringMatching(/at least one/),
    });
  });

  it('names lines in JSON text too', () => {
    const json =
      '{\n  "feature_configs": [\n    {\n      "feature_definition": "ticker",\n      "deps": "x"\n    }\n  ]\n}';
    expect(parseIssues(json)).toEqual([
      {
        path: 'feature_configs[0].deps',
        line: 5,
        message: expect.stringMatching(/expected a list/),
      },
    ]);
  });

  it('validates dates, durations and label settings', () => {
    const base = 'feature_configs:\n  - feature_definition: ticker\n';
    expect(
      parseFeaturizerConfig(
        `${base}start_date: 2023-02-01 10:00:00\nend_date: 2023-02-02 10:00:00\n`,
      ).start_date,
    ).toBe('2023-02-01 10:00:00');
    const issues = parseIssues(
      `${base}start_date: 2023-02-01 10:00:00\nend_date: 2023-01-01\nlabel_lookahead: soon\nlabel_feature: -1\nfeatures_to_store: [0, 3]\n`,
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['end_date', 4],
      ['label_lookahead', 5],
      ['label_feature', 6],
      ['features_to_store[1]', 7],
    ]);
    expect(parseIssues(`${base}start_date: 2023-13-01\n`)[0]!.message).toMatch(/month 13/);
  });

  it('locateIssues adds lines to featuresFromConfig errors', () => {
    const text = YAML_MID.replace('sampling: 1s', 'sampling: often');
    let issues: ConfigIssue[] = [];
    try {
      featuresFromConfig(parseFeaturizerConfig(text));
    } catch (e) {
      issues = locateIssues(text, (e as ConfigError).issues);
    }
    expect(issues).toEqual([
      {
        path: 'feature_configs[0].params.feature[0].sampling',
        line: 8,
        message: expect.stringMatching(/expected raw, skip_all or a duration/),
      },
    ]);
  });
});

describe('parseConfigDate', () => {
  it('reads the seed format as UTC, and ISO variants', () => {
    expect(parseConfigDate('2023-02-01 10:00:00')).toBe(Date.UTC(2023, 1, 1, 10) / 1000);
    expect(parseConfigDate('2023-02-01')).toBe(Date.UTC(2023, 1, 1) / 1000);
    expect(parseConfigDate('2023-02-01T10:00:00.25Z')).toBe(Date.UTC(2023, 1, 1, 10) / 1000 + 0.25);
    expect(parseConfigDate('2023-02-01T12:00:00+02:00')).toBe(Date.UTC(2023, 1, 1, 10) / 1000);
  });

  it('throws errors naming the field and the problem', () => {
    expect(() => parseConfigDate('yesterday', 'start_date')).toThrow(
      /start_date: "yesterday" is not a date: use YYYY-MM-DD HH:MM:SS/,
    );
    expect(() => parseConfigDate('2023-02-30 00:00:00')).toThrow(/day 30 is not 1..28/);
    expect(() => parseConfigDate('2023-02-01 24:00:00')).toThrow(/hour 24/);
    expect(() => parseConfigDate(20230201)).toThrow(/expected a date string/);
  });
});
