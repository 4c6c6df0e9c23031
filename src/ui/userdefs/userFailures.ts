import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import { canonicalJson } from '../../core/feature/canonicalJson.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';
import type { UserFailure } from '../../core/userdef/UserFeatureSpec.ts';

/** The nodes of `doc` that a worker's failure report is about: same definition, same params. */
export function failedNodes(doc: PipelineDoc, f: UserFailure): string[] {
  const def = findDefinition(f.definition);
  if (!def) return [];
  const want = f.params === undefined ? undefined : canonicalJson(f.params);
  return doc.nodes
    .filter((n) => n.definition === f.definition)
    .filter(
      (n) =>
        want === undefined || canonicalJson(resolveParams(def.params, n.params).params) === want,
    )
    .map((n) => n.id);
}

/** What the node says: the message and the event that caused it. */
export function failureText(f: UserFailure): string {
  const at = f.event ? ` on its ${f.slot ?? 'input'} event at ${f.event.timestamp}` : '';
  return `failed${at}: ${f.message}`;
}
