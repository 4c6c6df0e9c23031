import { parseDuration } from '../params/duration.ts';
import { type ConfigIssue, isRecord, show } from './ConfigError.ts';
import { parseConfigDateResult } from './configDate.ts';

const TOP_KEYS = [
  'feature_configs',
  'start_date',
  'end_date',
  'label_lookahead',
  'label_feature',
  'features_to_store',
];
const ENTRY_KEYS = ['feature_definition', 'name', 'deps', 'params'];
const PARAMS_KEYS = ['data_source', 'feature'];

/**
 * Structural check of a FeaturizerConfig-shaped value (what pydantic checked in the seed): field
 * presence and types, positional param containers, dates and durations. Does not look up
 * definitions or params; {@link featuresFromConfig} does that.
 */
export function validateConfigShape(value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string): void => void issues.push({ path, message });
  if (!isRecord(value)) {
    add('', `expected a mapping with feature_configs, got ${show(value)}`);
    return issues;
  }
  for (const k of Object.keys(value)) {
    if (!TOP_KEYS.includes(k)) add(k, `unknown field "${k}" (known: ${TOP_KEYS.join(', ')})`);
  }
  const fcs = value.feature_configs;
  if (!Array.isArray(fcs)) {
    add('feature_configs', `required: a list of feature configs, got ${show(fcs)}`);
  } else {
    if (fcs.length === 0) add('feature_configs', 'must list at least one feature config');
    fcs.forEach((entry, i) => checkEntry(entry, `feature_configs[${i}]`, add));
  }
  const dates: Record<string, number> = {};
  for (const k of ['start_date', 'end_date'] as const) {
    if (value[k] === undefined) continue;
    const r = parseConfigDateResult(value[k]);
    if ('error' in r) add(k, r.error);
    else dates[k] = r.sec;
  }
  if (dates.start_date !== undefined && dates.end_date !== undefined) {
    if (dates.end_date <= dates.start_date) add('end_date', 'must be after start_date');
  }
  if (value.label_lookahead !== undefined) {
    const d = parseDuration(value.label_lookahead);
    if ('error' in d) add('label_lookahead', d.error);
  }
  const lf = value.label_feature;
  if (
    lf !== undefined &&
    !(typeof lf === 'string' || (Number.isInteger(lf) && (lf as number) >= 0))
  ) {
    add('label_feature', `expected a feature index or name, got ${show(lf)}`);
  }
  const fts = value.features_to_store;
  if (fts !== undefined) {
    if (!Array.isArray(fts))
      add('features_to_store', `expected a list of feature indices, got ${show(fts)}`);
    else {
      fts.forEach((x, i) => {
        if (!Number.isInteger(x) || (x as number) < 0) {
          add(`features_to_store[${i}]`, `expected a feature index, got ${show(x)}`);
        } else if (Array.isArray(fcs) && (x as number) >= fcs.length) {
          add(
            `features_to_store[${i}]`,
            `index ${x} is out of range (${fcs.length} feature configs)`,
          );
        }
      });
    }
  }
  return issues;
}

function checkEntry(entry: unknown, p: string, add: (path: string, message: string) => void): void {
  if (!isRecord(entry)) {
    add(p, `expected a mapping with feature_definition, got ${show(entry)}`);
    return;
  }
  for (const k of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(k))
      add(`${p}.${k}`, `unknown field "${k}" (known: ${ENTRY_KEYS.join(', ')})`);
  }
  if (typeof entry.feature_definition !== 'string' || entry.feature_definition === '') {
    add(
      `${p}.feature_definition`,
      `required: a definition name like price.mid_price_fd, got ${show(entry.feature_definition)}`,
    );
  }
  if (entry.name !== undefined && (typeof entry.name !== 'string' || entry.name === '')) {
    add(`${p}.name`, `expected a non-empty string, got ${show(entry.name)}`);
  }
  if (entry.deps !== undefined) {
    if (!Array.isArray(entry.deps))
      add(`${p}.deps`, `expected a list of feature names or keys, got ${show(entry.deps)}`);
    else if (entry.deps.length === 0)
      add(`${p}.deps`, 'must name at least one feature (or be omitted)');
    else {
      entry.deps.forEach((d, j) => {
        if (typeof d !== 'string' || d === '')
          add(`${p}.deps[${j}]`, `expected a feature name or key, got ${show(d)}`);
      });
    }
  }
  const params = entry.params;
  if (params === undefined || params === null) return;
  if (!isRecord(params)) {
    add(`${p}.params`, `expected a mapping with data_source and/or feature, got ${show(params)}`);
    return;
  }
  for (const k of Object.keys(params)) {
    if (!PARAMS_KEYS.includes(k)) {
      add(
        `${p}.params.${k}`,
        `unknown field "${k}" (params take data_source: [...] and feature: {depth: {...}})`,
      );
    }
  }
  for (const k of PARAMS_KEYS) {
    for (const issue of positionalEntries(params[k], `${p}.params.${k}`, k).issues) {
      add(issue.path, issue.message);
    }
  }
}

/**
 * Read a positional params container: a list (index = position), or a map keyed by position (as
 * number or numeric string). `null` entries count as `{}`. Returns the entries by position.
 */
export function positionalEntries(
  value: unknown,
  path: string,
  what: string,
): { entries: Map<number, Record<string, unknown>>; issues: ConfigIssue[] } {
  const entries = new Map<number, Record<string, unknown>>();
  const issues: ConfigIssue[] = [];
  if (value === undefined || value === null) return { entries, issues };
  const unit = what === 'feature' ? 'depth (root = 0)' : 'data source leaf index';
  let pairs: [string, unknown][];
  if (Array.isArray(value)) pairs = value.map((v, i) => [String(i), v]);
  else if (isRecord(value)) pairs = Object.entries(value);
  else {
    issues.push({
      path,
      message: `expected a list, or a mapping keyed by ${unit}, got ${show(value)}`,
    });
    return { entries, issues };
  }
  for (const [k, v] of pairs) {
    if (!/^\d+$/.test(k)) {
      const hint =
        what === 'feature'
          ? ` (did you mean ${what}: {0: {${k}: ...}}?)`
          : ` (did you mean ${what}: [{${k}: ...}]?)`;
      issues.push({ path: `${path}.${k}`, message: `"${k}" is not a ${unit}${hint}` });
      continue;
    }
    const pos = Number(k);
    if (v === null || v === undefined) entries.set(pos, {});
    else if (isRecord(v)) entries.set(pos, v);
    else
      issues.push({
        path: `${path}[${pos}]`,
        message: `expected a mapping of params, got ${show(v)}`,
      });
  }
  return { entries, issues };
}
