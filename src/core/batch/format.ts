import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';

/** How one configured output is labelled and which fields it has, in output order. */
export interface OutputColumns {
  /** NDJSON's `feature`: the config name, or the feature's `toString()` (the seed's repr) when unnamed. */
  readonly label: string;
  /**
   * CSV's (and the studio's Parquet's) column prefix: the config name, or for an unnamed output a
   * readable default — never a hashed id (see {@link outputColumnsOf}).
   */
  readonly column: string;
  /** Fields after `timestamp` and `receipt_timestamp`, in the definition's schema order. */
  readonly fields: readonly string[];
}

/** One output's columns; `column` defaults to its name, else {@link defaultOutputName}. */
export function outputColumns(f: Feature, column = f.name ?? defaultOutputName(f)): OutputColumns {
  return {
    label: f.toString(),
    column,
    fields: Object.keys(f.definition.outputSchema(f.params)),
  };
}

/**
 * The readable name an unnamed output gets in CSV headers: its definition's short name without
 * the `_fd` suffix (`volatility.volatility_stddev_fd` → `volatility_stddev`), not the seed's
 * `feature_<definition>_<hash>`.
 */
export function defaultOutputName(f: Feature): string {
  return f.definition.name.split('.').pop()!.replace(/_fd$/, '');
}

/**
 * The columns of every configured output, in config order. Named outputs keep their names;
 * unnamed ones get {@link defaultOutputName}, with `_2`, `_3`… when that is already a column of
 * another output (named ones first), so no two outputs share a header prefix. Both the CLI and
 * the studio's export go through here, so their CSV headers are the same bytes.
 */
export function outputColumnsOf(features: readonly Feature[]): OutputColumns[] {
  const taken = new Set<string>();
  for (const f of features) if (f.name !== undefined) taken.add(f.name);
  return features.map((f) => {
    if (f.name !== undefined) return outputColumns(f);
    const base = defaultOutputName(f);
    let column = base;
    for (let k = 2; taken.has(column); k++) column = `${base}_${k}`;
    taken.add(column);
    return outputColumns(f, column);
  });
}

/**
 * One NDJSON output line. Keys come in a fixed order — feature, timestamp, receipt_timestamp,
 * the schema fields, then any other event keys in event order — and numbers print with
 * `JSON.stringify`, so equal events give byte-identical lines on every engine.
 */
export function ndjsonLine(out: OutputColumns, e: Event): string {
  const o: Record<string, unknown> = {
    feature: out.label,
    timestamp: e.timestamp,
    receipt_timestamp: e.receipt_timestamp,
  };
  for (const k of out.fields) o[k] = e[k];
  for (const k of Object.keys(e)) if (!(k in o)) o[k] = e[k];
  return `${JSON.stringify(o)}\n`;
}

/**
 * First characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a
 * formula or strip it (OWASP "CSV injection"): `=`, `+`, `-`, `@`, tab, CR — and `'`, our own
 * escape, so that neutralising stays reversible ({@link csvUnneutralise}).
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/**
 * One CSV cell: numbers as `JSON.stringify` prints them (never prefixed: `-0.5` stays a number),
 * arrays and objects as JSON text, empty for no value. Text — any string, such as a node name in
 * the header or an id or symbol from a recording — that starts with a formula character gets a
 * leading `'` (OWASP), and a cell with a comma, quote or line break is quoted per RFC 4180.
 */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  // Fast path: a finite number prints the same with String() as with JSON.stringify, never quoted.
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return csvText(typeof v === 'string' ? v : JSON.stringify(v));
}

/** A text cell, neutralised and quoted (see {@link csvCell}). */
export function csvText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The text a parsed (unquoted) CSV cell had before {@link csvText} neutralised it: one leading
 * `'` removed. Exact, because every text starting with `'` was prefixed too; number cells never
 * start with `'`.
 */
export function csvUnneutralise(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** `timestamp,receipt_timestamp,<column>-<field>…` for every output, in config order. */
export function csvHeader(outs: readonly OutputColumns[]): string {
  const cols = ['timestamp', 'receipt_timestamp'];
  for (const o of outs) for (const f of o.fields) cols.push(`${o.column}-${f}`);
  return `${cols.map(csvText).join(',')}\n`;
}
