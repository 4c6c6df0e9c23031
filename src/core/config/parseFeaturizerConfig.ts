import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { validateConfigShape } from './configShape.ts';
import type { FeaturizerConfig } from './FeaturizerConfig.ts';

export type ConfigFormat = 'yaml' | 'json';

/**
 * Parse a FeaturizerConfig from YAML or JSON text (format by argument, else JSON when the text
 * starts with `{`) and check its structure. Throws a {@link ConfigError} whose issues name the
 * field and, where it can be found, the line (a syntax error names its line). Definitions and
 * params are checked later, by {@link featuresFromConfig}; {@link locateIssues} adds lines to its
 * issues. Dates stay strings (see {@link parseConfigDate}); they are validated here.
 */
export function parseFeaturizerConfig(text: string, format?: ConfigFormat): FeaturizerConfig {
  const fmt = format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const deep = tooDeepLine(text);
  if (deep !== undefined) {
    throw new ConfigError([
      {
        path: '',
        message: `brackets nested deeper than ${MAX_NESTING} levels (no config needs that many)`,
        line: deep,
      },
    ]);
  }
  let value: unknown;
  if (fmt === 'json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new ConfigError(
        [{ path: '', message: `JSON syntax error: ${msg}`, line: jsonErrorLine(text, msg) }],
        'invalid featurizer config',
      );
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        doc.errors.map((err) => ({
          path: '',
          message: `YAML syntax error: ${err.message.split('\n')[0]!.replace(/:\s*$/, '')}`,
          line: err.linePos?.[0].line ?? lineCounter.linePos(err.pos[0]).line,
        })),
      );
    }
    value = doc.toJS({ maxAliasCount: 1000 });
  }
  const issues = validateConfigShape(value);
  if (issues.length > 0) throw new ConfigError(locateIssues(text, issues));
  return value as FeaturizerConfig;
}

/**
 * Add the line of each issue's path in the config text (YAML or JSON), when the path, or the
 * nearest enclosing field, can be found. For reporting errors of {@link featuresFromConfig}.
 */
export function locateIssues(text: string, issues: readonly ConfigIssue[]): ConfigIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return [...issues];
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const offset = offsetOfPath(doc.contents, splitPath(issue.path));
    return offset === undefined ? issue : { ...issue, line: lineCounter.linePos(offset).line };
  });
}

/** `a[1].b.c` → `['a', 1, 'b', 'c']`. */
function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return out;
}

/** Start offset of the deepest node along `path` (a map entry's key when it is the last step). */
function offsetOfPath(root: unknown, path: readonly (string | number)[]): number | undefined {
  let node = root as Node | null | undefined;
  let best = node?.range?.[0];
  for (const seg of path) {
    if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | undefined;
      if (!node) break;
      best = node.range?.[0] ?? best;
    } else if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      best = (pair.key as Node).range?.[0] ?? best;
      node = pair.value as Node | null;
    } else break;
  }
  return best;
}

/** Deepest `[`/`{` nesting a config may have; real configs use under 10. */
export const MAX_NESTING = 64;

/**
 * The line where `[`/`{` nesting (outside quoted strings) first exceeds {@link MAX_NESTING}, if
 * it does. Checked before parsing: the YAML parser needs gigabytes for a million nested brackets
 * (the process died out of memory), and printing such a value overflows the call stack.
 */
function tooDeepLine(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      quote = 0; // fail closed: a stray quote (`don't`) must not hide the brackets after it
    } else if (quote !== 0) {
      if (c === 92 /* \ */ && quote === 34) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 35 /* # */) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++; // a comment
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function jsonErrorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  // No position ("Unexpected end of JSON input"): the text ended too early, on its last line.
  return text.split('\n').length;
}
