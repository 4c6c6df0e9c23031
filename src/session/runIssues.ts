import type { ConfigIssue } from '../core/config/ConfigError.ts';
import { type PipelineDoc, validatePipeline } from '../core/config/PipelineDoc.ts';
import { findDefinition } from '../core/definitions/registry.ts';
import { resolveParams } from '../core/params/ParamSchema.ts';
import { isUserDefinition } from '../core/userdef/userFeatureDefinition.ts';
import { supportedExchanges } from '../sources/adapters/exchangeIds.ts';
import { SIM_EXCHANGE } from '../sources/sim/simSymbols.ts';

/** Venues a market-data source can read from in the studio: the Simulated market, then live ones. */
export const STUDIO_EXCHANGES: readonly string[] = [SIM_EXCHANGE, ...supportedExchanges];

/**
 * Market-data sources whose `exchange` no feed serves (an import or share link can name any
 * venue): one issue per such node, on its `exchange` param. Synthetic sources generate their own
 * events and are not checked. A list lookup, not `in` on an object: `constructor` is no venue.
 */
export function venueIssues(doc: PipelineDoc): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  doc.nodes.forEach((n, index) => {
    const def = findDefinition(n.definition);
    if (def?.kind !== 'source' || def.generate || !('exchange' in def.params)) return;
    // The venue as the runner will read it (resolved params; bad params are validation's issue).
    const resolved = resolveParams(def.params, n.params);
    if (resolved.errors.length > 0) return;
    const exchange = String(resolved.params.exchange);
    if (STUDIO_EXCHANGES.includes(exchange)) return;
    issues.push({
      path: `nodes[${index}].params.exchange`,
      nodeId: n.id,
      message: `node "${n.id}" (${def.name}): unknown exchange "${exchange}" (supported: ${STUDIO_EXCHANGES.join(', ')})`,
    });
  });
  return issues;
}

/**
 * Everything that keeps a node from running: the document's validation issues plus
 * {@link venueIssues}. What the Problems list shows and what {@link runnablePart} leaves out agree,
 * because both read this.
 */
export function runIssues(doc: PipelineDoc): ConfigIssue[] {
  const issues = validatePipeline(doc);
  // An unknown definition is already an issue; venues are checked only on nodes that validate.
  return [...issues, ...venueIssues(doc), ...trustIssues(doc)];
}

/**
 * Nodes whose user code came from an imported file or a share link and has not been trusted
 * (docs/custom-features.md#trust): drawn, never run, with the reason on the node.
 */
export function trustIssues(doc: PipelineDoc): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const embedded = new Map((doc.definitions ?? []).map((e) => [e.name, e.hash]));
  doc.nodes.forEach((n, index) => {
    const def = findDefinition(n.definition);
    const hash = embedded.get(n.definition);
    // Trusted only if the registered revision is trusted and is the one the document carries.
    const trusted =
      isUserDefinition(def) &&
      def.user.trusted !== false &&
      (hash ?? def.user.hash) === def.user.hash;
    if (trusted || (!isUserDefinition(def) && hash === undefined)) return;
    issues.push({
      path: `nodes[${index}].definition`,
      nodeId: n.id,
      message: `node "${n.id}" (${n.definition}): not run: its code comes from outside this studio and is not trusted yet — review it and click “Trust and run”`,
    });
  });
  return issues;
}
