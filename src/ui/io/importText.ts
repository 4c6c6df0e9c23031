import { type ConfigIssue, ConfigError } from '../../core/config/ConfigError.ts';
import { locateIssues, parseFeaturizerConfig } from '../../core/config/parseFeaturizerConfig.ts';
import { type PipelineDoc, validatePipeline } from '../../core/config/PipelineDoc.ts';
import { pipelineFromConfig } from '../../core/config/pipelineConvert.ts';

export type ImportResult =
  | { readonly ok: true; readonly doc: PipelineDoc; readonly format: 'pipeline' | 'config' }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * Read text a user imported (file, paste or share link): a pipeline document (JSON with
 * `version`) or a FeaturizerConfig (YAML or JSON). Only data is read — nothing in it is
 * evaluated — and every problem is returned, located by node/edge/field and line when possible.
 */
export function importText(text: string, fallbackName = 'imported'): ImportResult {
  if (text.trim() === '') return fail([{ path: '', message: 'the file is empty' }]);
  const json = tryJson(text);
  if (json.ok && isPipelineLike(json.value)) {
    const issues = validatePipeline(json.value);
    if (issues.length > 0) return fail(locateIssues(text, issues));
    return { ok: true, doc: json.value as PipelineDoc, format: 'pipeline' };
  }
  try {
    const config = parseFeaturizerConfig(text, json.ok ? 'json' : undefined);
    const doc = pipelineFromConfig(config, fallbackName);
    const issues = validatePipeline(doc);
    return issues.length > 0 ? fail(issues) : { ok: true, doc, format: 'config' };
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.issues);
    return fail([{ path: '', message: e instanceof Error ? e.message : String(e) }]);
  }
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
