import type { AnyDefinition } from '../definitions/DataDefinition.ts';
import { Feature } from '../feature/Feature.ts';
import {
  type EmbeddedDefinition,
  embeddedDefinitionIssues,
  shellDefinition,
} from '../userdef/embeddedDefinitions.ts';
import { type CheckedNode, checkPipelineNode } from './checkPipelineNode.ts';
import { ConfigError, type ConfigIssue, isRecord, show } from './ConfigError.ts';
import type { PipelineEdge } from './PipelineEdge.ts';
import type { PipelineNode } from './PipelineNode.ts';
import { wirePipelineEdges } from './wirePipelineEdges.ts';

export type { PipelineEdge, PipelineNode };

/**
 * Our versioned pipeline document: what the visual editor edits and saves. Nodes are definitions
 * with explicit params (no positional rules); edges feed a node's output into an input slot of
 * another node. Outputs are the nodes nothing reads from, plus every named node.
 */
export interface PipelineDoc {
  readonly version: 1;
  readonly name: string;
  readonly nodes: readonly PipelineNode[];
  readonly edges: readonly PipelineEdge[];
  /**
   * Editor-only state saved with the pipeline (panel arrangement, charts). Opaque here: a plain
   * object the studio reads defensively; feature building and conversion ignore it.
   */
  readonly layout?: Readonly<Record<string, unknown>>;
  /**
   * User definitions the nodes use, embedded so the document runs anywhere as-is (source, content
   * hash, API version, manifest: docs/custom-features.md#sharing). Whoever opens the document
   * registers them before building features; checking it here evaluates nothing.
   */
  readonly definitions?: readonly EmbeddedDefinition[];
}

/** The document version this build reads and writes. */
export const PIPELINE_VERSION = 1;

/** A document checked: its issues, its checked nodes by id (inputs wired), the nodes read from. */
interface Analysis {
  readonly issues: ConfigIssue[];
  readonly nodes: Map<string, CheckedNode>;
  readonly hasDownstream: Set<string>;
}

/**
 * Every problem in a pipeline document, each naming the node id / edge id and field: unknown
 * version, malformed fields, unknown definition, bad params, unknown edge ends, missing inputs,
 * too many inputs, inputs of the wrong kind, duplicate ids or names, cycles. Empty when valid.
 */
export function validatePipeline(doc: unknown): ConfigIssue[] {
  return analyze(doc).issues;
}

/**
 * A valid document in the shape the editor works on: `params` may be left out of a node in a
 * document (it means "all defaults"), but the studio reads `node.params` everywhere.
 */
export function normalizePipeline(doc: PipelineDoc): PipelineDoc {
  if (doc.nodes.every((n) => isRecord(n.params))) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (isRecord(n.params) ? n : { ...n, params: {} })) };
}

/**
 * Build the features of a valid pipeline (throws a {@link ConfigError} listing
 * {@link validatePipeline}'s issues otherwise). `features` are the outputs in node order: nodes
 * with no downstream, plus named nodes. `byNodeId` has every node's feature. Unnamed nodes with
 * equal keys share one Feature object; a named node is its own object, carrying its name.
 */
export function featuresFromPipeline(doc: PipelineDoc): {
  features: Feature[];
  byNodeId: Map<string, Feature>;
} {
  const { issues, nodes, hasDownstream } = analyze(doc);
  if (issues.length > 0) throw new ConfigError(issues, `invalid pipeline "${String(doc?.name)}"`);
  const pool = new Map<string, Feature>();
  const byNodeId = new Map<string, Feature>();
  const build = (id: string): Feature => {
    const done = byNodeId.get(id);
    if (done) return done;
    const info = nodes.get(id)!;
    const children = info.inputs.map((e) => build(e!.source));
    let f = new Feature(info.def!, info.params!, children, info.node.name);
    if (f.name === undefined) {
      f = pool.get(f.key) ?? f;
      pool.set(f.key, f);
    }
    byNodeId.set(id, f);
    return f;
  };
  const features: Feature[] = [];
  for (const node of doc.nodes) {
    const f = build(node.id);
    const isOutput = node.name !== undefined || !hasDownstream.has(node.id);
    if (isOutput && !features.includes(f)) features.push(f);
  }
  return { features, byNodeId };
}

/**
 * The document-level checks (version, fields, embedded definitions), then each node
 * (`checkPipelineNode`) and the edges between them (`wirePipelineEdges`), in that issue order.
 */
function analyze(doc: unknown): Analysis {
  const issues: ConfigIssue[] = [];
  const nodes = new Map<string, CheckedNode>();
  // Returned as is when the document is too malformed to look at its nodes and edges.
  const result = { issues, nodes, hasDownstream: new Set<string>() };
  if (!isRecord(doc)) {
    issues.push({ path: '', message: `expected a pipeline document object, got ${show(doc)}` });
    return result;
  }
  if (doc.version !== PIPELINE_VERSION) {
    issues.push({
      path: 'version',
      message: `unknown pipeline version ${show(doc.version)} (this build reads version ${PIPELINE_VERSION})`,
    });
    return result;
  }
  for (const k of Object.keys(doc)) {
    if (!['version', 'name', 'nodes', 'edges', 'layout', 'definitions'].includes(k))
      issues.push({ path: k, message: `unknown field "${k}"` });
  }
  const embeddedIssues = embeddedDefinitionIssues(doc.definitions);
  issues.push(...embeddedIssues);
  // Nodes may use the definitions the document embeds (drawn from their manifests: nothing is
  // evaluated here; untrusted until someone registers that revision). A registered definition
  // of the same revision wins: it can run.
  const embedded = new Map<string, AnyDefinition>();
  if (embeddedIssues.length === 0 && Array.isArray(doc.definitions)) {
    for (const e of doc.definitions as EmbeddedDefinition[])
      embedded.set(e.name, shellDefinition(e));
  }
  if (doc.layout !== undefined && !isRecord(doc.layout))
    issues.push({ path: 'layout', message: `expected an object, got ${show(doc.layout)}` });
  if (typeof doc.name !== 'string')
    issues.push({ path: 'name', message: `expected a string, got ${show(doc.name)}` });
  if (!Array.isArray(doc.nodes)) {
    issues.push({ path: 'nodes', message: `expected a list of nodes, got ${show(doc.nodes)}` });
    return result;
  }
  if (!Array.isArray(doc.edges)) {
    issues.push({ path: 'edges', message: `expected a list of edges, got ${show(doc.edges)}` });
    return result;
  }
  const names = new Map<string, string>();
  doc.nodes.forEach((raw: unknown, index) => {
    const info = checkPipelineNode(raw, index, issues, nodes, names, embedded);
    if (info) nodes.set(info.node.id, info);
  });
  const rawEdges: readonly unknown[] = doc.edges;
  return { issues, nodes, hasDownstream: wirePipelineEdges(rawEdges, nodes, issues) };
}
