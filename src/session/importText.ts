import { type ConfigIssue, ConfigError } from '../core/config/ConfigError.ts';
import { locateIssues, parseFeaturizerConfig } from '../core/config/parseFeaturizerConfig.ts';
import {
  normalizePipeline,
  type PipelineDoc,
  validatePipeline,
} from '../core/config/PipelineDoc.ts';
import { pipelineFromConfig } from '../core/config/pipelineConvert.ts';
import { venueIssues } from './runIssues.ts';
import {
  countMessage,
  formatBytes,
  MAX_IMPORT_BYTES,
  tooLargeMessage,
  utf8Length,
} from './importLimits.ts';

export type ImportResult =
  | {
      readonly ok: true;
      readonly doc: PipelineDoc;
      readonly format: 'pipeline' | 'config';
      /** Unconnected inputs: a draft is importable, these nodes just do not run yet. */
      readonly incomplete: readonly ConfigIssue[];
      /**
       * Sources on an exchange no feed serves (`"exchange": "NOPE"`): importable — the venue can
       * be picked after — but flagged like other fields, located, before the user imports.
       */
      readonly warnings: readonly ConfigIssue[];
    }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * Read text a user imported (file, paste or share link): a pipeline document (JSON with
 * `version`) or a FeaturizerConfig (YAML or JSON). Only data is read — nothing in it is
 * evaluated — and every problem is returned, located by node/edge/field and line when possible.
 * Over the caps of `importLimits.ts` (bytes, nodes, edges) it is refused before validation, with
 * a message naming the cap. Synchronous: the studio calls it in a worker (`importInWorker.ts`).
 */
export function importText(text: string, fallbackName = 'imported'): ImportResult {
  const bytes = utf8Length(text, MAX_IMPORT_BYTES);
  if (bytes > MAX_IMPORT_BYTES)
    return fail([
      {
        path: '',
        message: tooLargeMessage('the text', `it is over ${formatBytes(MAX_IMPORT_BYTES)}`),
      },
    ]);
  if (text.trim() === '') return fail([{ path: '', message: 'the file is empty' }]);
  const json = tryJson(text);
  if (json.ok && isPipelineLike(json.value)) {
    const over = overCaps(json.value);
    if (over) return fail([{ path: '', message: over }]);
    const all = validatePipeline(json.value);
    const issues = all.filter((i) => !isMissingInput(i));
    if (issues.length > 0) return fail(locateIssues(text, issues));
    const incomplete = all.filter(isMissingInput);
    const doc = normalizePipeline(json.value as PipelineDoc);
    return {
      ok: true,
      doc,
      format: 'pipeline',
      incomplete,
      warnings: locateIssues(text, venueIssues(doc)),
    };
  }
  try {
    const config = parseFeaturizerConfig(text, json.ok ? 'json' : undefined);
    const doc = pipelineFromConfig(config, fallbackName);
    const over = overCaps(doc);
    if (over) return fail([{ path: '', message: over }]);
    const issues = validatePipeline(doc);
    if (issues.length > 0) return fail(issues);
    // Config entries have no node paths in the text: the issue names the node instead.
    return { ok: true, doc, format: 'config', incomplete: [], warnings: venueIssues(doc) };
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.issues);
    return fail([{ path: '', message: e instanceof Error ? e.message : String(e) }]);
  }
}

/**
 * The editor saves drafts, so a node whose input is not connected yet is not an import error
 * (the same document could not be re-opened otherwise); everything else is.
 */
function isMissingInput(i: ConfigIssue): boolean {
  return / is missing an input for slot /.test(i.message);
}

/** The node/edge cap a document is over, counted before anything is validated. */
function overCaps(v: unknown): string | undefined {
  const { nodes, edges } = v as { nodes?: unknown; edges?: unknown };
  return countMessage(
    Array.isArray(nodes) ? nodes.length : 0,
    Array.isArray(edges) ? edges.length : 0,
  );
}

function isPipelineLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && ('version' in v || 'nodes' in v);
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!/^\s*[[{]/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function fail(issues: readonly ConfigIssue[]): ImportResult {
  return { ok: false, issues };
}
