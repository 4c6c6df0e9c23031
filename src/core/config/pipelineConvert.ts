import { type AnyDefinition, depUpstreamSchema } from '../definitions/DataDefinition.ts';
import { canonicalJson } from '../feature/canonicalJson.ts';
import type { Feature } from '../feature/Feature.ts';
import { formatDuration, parseDuration } from '../params/duration.ts';
import { resolveParams, type ResolvedParams } from '../params/ParamSchema.ts';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { featuresFromConfig } from './featuresFromConfig.ts';
import type { FeatureConfig, FeaturizerConfig } from './FeaturizerConfig.ts';
import {
  featuresFromPipeline,
  PIPELINE_VERSION,
  type PipelineDoc,
  type PipelineEdge,
  type PipelineNode,
} from './PipelineDoc.ts';

const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 120;

/**
 * Expand a config into a pipeline document: one node per distinct feature (shared sub-trees
 * once), params written out explicitly (defaults omitted, durations as text), one edge per input
 * slot. Ids are deterministic: a node's name when it has one, else `<definition>_<n>` in config
 * order, children first. Positions are a left-to-right layered layout (sources in column 0).
 *
 * A config entry whose feature is also an input of another node would not be an output of the
 * document (outputs = no downstream, or named), so such an unnamed entry gets a generated name.
 * The top-level dates and label settings have no place in the document and are dropped.
 */
export function pipelineFromConfig(config: FeaturizerConfig, name = 'pipeline'): PipelineDoc {
  const outputs = featuresFromConfig(config);
  const order: Feature[] = [];
  const seen = new Set<Feature>();
  const visit = (f: Feature): void => {
    if (seen.has(f)) return;
    seen.add(f);
    f.children.forEach(visit);
    order.push(f);
  };
  outputs.forEach(visit);
  const consumed = new Set(order.flatMap((f) => f.children));
  const ids = new Map<Feature, string>();
  const taken = new Set<string>();
  const names = new Map<Feature, string>();
  for (const f of order) {
    if (f.name !== undefined && !taken.has(f.name)) {
      names.set(f, f.name);
      taken.add(f.name);
    }
  }
  const fresh = (base: string): string => {
    let n = 1;
    while (taken.has(`${base}_${n}`)) n++;
    taken.add(`${base}_${n}`);
    return `${base}_${n}`;
  };
  for (const f of outputs) {
    if (consumed.has(f) && !names.has(f)) names.set(f, fresh(shortName(f.definition)));
  }
  for (const f of order) ids.set(f, names.get(f) ?? fresh(shortName(f.definition)));
  const column = new Map<Feature, number>();
  const rows: number[] = [];
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  for (const f of order) {
    const col = Math.max(-1, ...f.children.map((c) => column.get(c)!)) + 1;
    column.set(f, col);
    const row = (rows[col] = (rows[col] ?? -1) + 1);
    const id = ids.get(f)!;
    const nodeName = names.get(f);
    nodes.push({
      id,
      definition: f.definition.name,
      params: displayParams(f.definition, f.params, f.isSource),
      ...(nodeName !== undefined ? { name: nodeName } : {}),
      position: { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT },
    });
    if (f.definition.kind === 'feature') {
      const slots = depUpstreamSchema(f.definition, f.params.dep_schema);
      f.children.forEach((c, s) => {
        const slot = slots[s]!.name;
        edges.push({
          id: `${ids.get(c)}->${id}.${slot}`,
          source: ids.get(c)!,
          target: id,
          targetSlot: slot,
        });
      });
    }
  }
  return { version: PIPELINE_VERSION, name, nodes, edges };
}

/**
 * Express a pipeline as a FeaturizerConfig: one entry per output (nodes with no downstream, plus
 * named nodes), in node order. An output whose tree follows the definitions' default input
 * layouts, with one set of params per depth, becomes a positional entry (`data_source` by leaf,
 * `feature` by depth). Otherwise it becomes a `deps` entry whose inputs are referenced by name,
 * which needs every input node to be named; when one is not, a {@link ConfigError} names the node
 * and says what to name. Positions, workers and the document name are not part of a config.
 */
export function configFromPipeline(
  doc: PipelineDoc,
  base: Omit<FeaturizerConfig, 'feature_configs'> = {},
): FeaturizerConfig {
  const { features, byNodeId } = featuresFromPipeline(doc);
  const nodeOf = new Map<Feature, number>();
  doc.nodes.forEach((n, i) => {
    const f = byNodeId.get(n.id)!;
    if (!nodeOf.has(f)) nodeOf.set(f, i);
  });
  const issues: ConfigIssue[] = [];
  const feature_configs: FeatureConfig[] = [];
  for (const f of features) {
    const index = nodeOf.get(f)!;
    const node = doc.nodes[index]!;
    const positional = positionalParams(f, byLabel(doc, nodeOf));
    const named = f.name !== undefined ? { name: f.name } : {};
    if ('params' in positional) {
      feature_configs.push({
        feature_definition: f.definition.name,
        ...named,
        params: positional.params,
      });
      continue;
    }
    const unnamed = f.children.filter((c) => c.name === undefined);
    if (f.definition.kind !== 'feature' || unnamed.length > 0) {
      const missing = unnamed.map((c) => `"${doc.nodes[nodeOf.get(c)!]!.id}"`).join(', ');
      issues.push({
        path: `nodes[${index}]`,
        nodeId: node.id,
        message:
          `cannot express node "${node.id}" in a FeaturizerConfig: ${positional.reason}; ` +
          `a deps entry could reference its inputs by name, but input node(s) ${missing} have no name (name them)`,
      });
      continue;
    }
    const own = displayParams(f.definition, f.params, false);
    feature_configs.push({
      feature_definition: f.definition.name,
      ...named,
      deps: f.children.map((c) => c.name!),
      ...(Object.keys(own).length > 0 ? { params: { feature: { 0: own } } } : {}),
    });
  }
  if (issues.length > 0)
    throw new ConfigError(issues, `pipeline "${doc.name}" cannot be converted to a config`);
  return { ...base, feature_configs };
}

/** `price.mid_price_fd` → `mid_price_fd`. */
function shortName(def: AnyDefinition): string {
  return def.name.split('.').pop()!;
}

/** Label of a feature for messages: its node id. */
function byLabel(doc: PipelineDoc, nodeOf: ReadonlyMap<Feature, number>): (f: Feature) => string {
  return (f) => `"${doc.nodes[nodeOf.get(f)!]!.id}"`;
}

/**
 * Params as a user would write them: durations as text (`1m`) when that is exact; for features,
 * values equal to the default are omitted. Sources keep every param (they name the instrument).
 */
export function displayParams(
  def: AnyDefinition,
  params: ResolvedParams,
  keepDefaults: boolean,
): Record<string, unknown> {
  const defaults = resolveParams(def.params, {}).params;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!keepDefaults && k in defaults && canonicalJson(defaults[k]) === canonicalJson(v)) continue;
    const type = def.params[k]?.type;
    if ((type === 'duration' || type === 'sampling') && typeof v === 'number') {
      const text = formatDuration(v);
      const back = parseDuration(text);
      out[k] = 'sec' in back && back.sec === v ? text : v;
    } else out[k] = v;
  }
  return out;
}

/**
 * The positional params (`data_source` per leaf, `feature` per depth) that rebuild `root`'s tree
 * from its definition's default layouts, or why there are none.
 */
function positionalParams(
  root: Feature,
  label: (f: Feature) => string,
): { params: NonNullable<FeatureConfig['params']> } | { reason: string } {
  const data_source: Record<string, unknown>[] = [];
  const byDepth = new Map<number, Feature[]>();
  const walk = (f: Feature, depth: number): string | undefined => {
    if (f.definition.kind === 'source') {
      data_source.push(displayParams(f.definition, f.params, true));
      return undefined;
    }
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), f]);
    const slots = depUpstreamSchema(f.definition, f.params.dep_schema);
    const defaults = slots.map((s) => s.default);
    if (
      f.children.length !== slots.length ||
      f.children.some((c, i) => c.definition.name !== defaults[i])
    ) {
      const got = f.children.map((c) => c.definition.name).join(', ');
      return `the inputs of node ${label(f)} (${got}) are not the default layout of ${f.definition.name} (${defaults.join(', ')})`;
    }
    for (const c of f.children) {
      const why = walk(c, depth + 1);
      if (why) return why;
    }
    return undefined;
  };
  const why = walk(root, 0);
  if (why) return { reason: why };
  const feature: Record<string, Record<string, unknown>> = {};
  for (const [depth, nodes] of byDepth) {
    const merged: Record<string, unknown> = {};
    for (const n of nodes) {
      for (const [k, v] of Object.entries(displayParams(n.definition, n.params, false))) {
        if (k in merged && canonicalJson(merged[k]) !== canonicalJson(v)) {
          return {
            reason: `feature nodes at depth ${depth} (${nodes.map(label).join(', ')}) need different values of "${k}", but positional params give one set per depth`,
          };
        }
        merged[k] = v;
      }
    }
    for (const n of nodes) {
      const r = resolveParams(n.definition.params, merged);
      if (r.errors.length > 0 || canonicalJson(r.params) !== canonicalJson(n.params)) {
        return {
          reason: `the depth-${depth} params ${canonicalJson(merged)} do not fit node ${label(n)} (${n.definition.name})`,
        };
      }
    }
    if (Object.keys(merged).length > 0) feature[depth] = merged;
  }
  return { params: { data_source, ...(Object.keys(feature).length > 0 ? { feature } : {}) } };
}
