import { builtinDefinitions } from '../definitions/registry.ts';

/**
 * One problem in a config or pipeline document. `path` names the field the way a user would find
 * it (`feature_configs[1].params.feature[0].window`, `nodes[2].params.depth`, `edges[0].target`);
 * `line` is set when the problem was located in YAML/JSON text; `nodeId`/`edgeId` are set for
 * pipeline documents so an editor can highlight the element.
 */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly nodeId?: string;
  readonly edgeId?: string;
}

/** Thrown for invalid configs and pipeline documents; carries every issue found, not just the first. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], title = 'invalid featurizer config') {
    super(`${title}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** `path (line n): message`. */
export function formatIssue(issue: ConfigIssue): string {
  const line = issue.line !== undefined ? `line ${issue.line}` : '';
  const where = issue.path && line ? `${issue.path} (${line})` : issue.path || line;
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * `unknown definition "x" (did you mean …?)`, listing near matches, else every known definition
 * as `Title (id)`: readable names first, and the id to write.
 */
export function unknownDefinitionMessage(name: string): string {
  const near = nearDefinitionNames(name);
  // Readable first: what the palette calls each definition, then the id a file must use.
  const known = builtinDefinitions.map((d) => `${d.title} (${d.name})`);
  if (near.length > 0)
    return `unknown definition "${name}" (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`;
  // Not close to a built-in: maybe a user definition that was not loaded.
  return `unknown definition "${name}" (known: ${known.join('; ')}; a user definition? load it with --definitions <file|dir>)`;
}

/** Known definition names close to `name`: same letters ignoring case/punctuation, or small edit distance. */
export function nearDefinitionNames(name: string): string[] {
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const n = norm(name);
  if (n === '') return [];
  const scored: [string, number][] = [];
  for (const { name: known } of builtinDefinitions) {
    const k = norm(known);
    const last = norm(known.split('.').pop()!);
    let score = editDistance(n, k);
    if (k.includes(n) || n.includes(k) || last === n || n.endsWith(last)) score = 0;
    else score = Math.min(score, editDistance(n, last));
    if (score <= Math.max(2, Math.floor(n.length / 4))) scored.push([known, score]);
  }
  return scored.sort((a, b) => a[1] - b[1]).map(([k]) => k);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** A value for messages: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Nesting deeper than JSON.stringify's call stack (JSON.parse and YAML read it fine).
    return Array.isArray(value) ? '[…deeply nested…]' : '{…deeply nested…}';
  }
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
