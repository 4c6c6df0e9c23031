import { type ConfigIssue, formatIssue } from '../core/config/ConfigError.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { findDefinition } from '../core/definitions/registry.ts';
import { isUserDefinition } from '../core/userdef/userFeatureDefinition.ts';
import { runIssues } from './runIssues.ts';

/** Where the part will run. */
export interface RunnableOptions {
  /**
   * On the calling thread (the in-thread runner, live or replay: `?runner=inthread`): in the
   * studio that is the page's main thread, where user code never runs, so user features are left
   * out with the reason. Runs in workers (live and replay) run them.
   */
  readonly inThread?: boolean;
}

/** Nodes of user definitions: they run only in workers. */
function userCodeIssues(doc: PipelineDoc): ConfigIssue[] {
  return doc.nodes
    .filter((n) => isUserDefinition(findDefinition(n.definition)))
    .map((n) => ({
      path: 'nodes',
      nodeId: n.id,
      message: `node "${n.id}" (${n.definition}): user code runs only in pipeline workers, not in this in-thread run (?runner=inthread)`,
    }));
}

/**
 * The part of a document that can run: nodes with problems (bad params, missing inputs, a source
 * on an unknown exchange, … — {@link runIssues}) are left out together with everything downstream
 * of them, so a half-built pipeline still shows live values for its finished branches. Pure;
 * repeated until what is left validates.
 */
export function runnablePart(
  doc: PipelineDoc,
  options: RunnableOptions = {},
): {
  doc: PipelineDoc;
  skipped: { nodeId: string; reason: string }[];
} {
  const skipped = new Map<string, string>();
  let cur = doc;
  for (let round = 0; round < 10; round++) {
    const issues = runIssues(cur);
    if (options.inThread) issues.push(...userCodeIssues(cur));
    if (issues.length === 0) break;
    const bad = new Set<string>();
    for (const i of issues) {
      const edge = i.edgeId ? cur.edges.find((e) => e.id === i.edgeId) : undefined;
      const id = i.nodeId ?? edge?.target;
      if (id === undefined)
        return { doc: { ...doc, nodes: [], edges: [] }, skipped: everything(doc, formatIssue(i)) };
      if (!skipped.has(id)) skipped.set(id, i.message);
      bad.add(id);
    }
    // Everything downstream of a bad node cannot run either.
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of cur.edges)
        if (bad.has(e.source) && !bad.has(e.target)) {
          bad.add(e.target);
          if (!skipped.has(e.target)) skipped.set(e.target, `its input ${e.source} cannot run`);
          grew = true;
        }
    }
    cur = {
      ...cur,
      nodes: cur.nodes.filter((n) => !bad.has(n.id)),
      edges: cur.edges.filter((e) => !bad.has(e.source) && !bad.has(e.target)),
    };
  }
  return { doc: cur, skipped: [...skipped].map(([nodeId, reason]) => ({ nodeId, reason })) };
}

function everything(doc: PipelineDoc, reason: string): { nodeId: string; reason: string }[] {
  return doc.nodes.map((n) => ({ nodeId: n.id, reason }));
}
