import {
  type AnyDefinition,
  depUpstreamSchema,
  type DepSlot,
} from '../definitions/DataDefinition.ts';
import { findDefinition } from '../definitions/registry.ts';
import { Feature } from '../feature/Feature.ts';
import { resolveParams, type ResolvedParams } from '../params/ParamSchema.ts';
import {
  type EmbeddedDefinition,
  embeddedDefinitionIssues,
  shellDefinition,
} from '../userdef/embeddedDefinitions.ts';
import {
  ConfigError,
  type ConfigIssue,
  isRecord,
  show,
  unknownDefinitionMessage,
} from './ConfigError.ts';

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

export interface PipelineNode {
  /** Unique within the document; stable across edits (edges refer to it). */
  readonly id: string;
  /** Registry name, e.g. `price.mid_price_fd` or `ticker`. */
  readonly definition: string;
  /** Raw params, as a user typed them (`window: 1m`); resolved with the definition's schema. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Feature name (unique); a named node is always an output. */
  readonly name?: string;
  /** Editor canvas position. */
  readonly position?: { readonly x: number; readonly y: number };
  /** Worker the node should run on (placement hint; not part of the feature). */
  readonly worker?: string;
}

export interface PipelineEdge {
  readonly id: string;
  /** Node whose output flows along the edge. */
  readonly source: string;
  /** Node that consumes it. */
  readonly target: string;
  /**
   * Input slot of the target (`DepSlot.name`). Without it the edge fills the target's first free
   * slot, in edge order.
   */
  readonly targetSlot?: string;
}

export const PIPELINE_VERSION = 1;

const NODE_KEYS = ['id', 'definition', 'params', 'name', 'position', 'worker'];
const EDGE_KEYS = ['id', 'source', 'target', 'targetSlot'];

/** A checked node: definition, resolved params (when valid), input slots and the edge in each. */
interface NodeInfo {
  readonly node: PipelineNode;
  readonly index: number;
  readonly def: AnyDefinition | undefined;
  readonly params: ResolvedParams | undefined;
  readonly slots: readonly DepSlot[];
  readonly inputs: (PipelineEdge | undefined)[];
}

interface Analysis {
  readonly issues: ConfigIssue[];
  readonly nodes: Map<string, NodeInfo>;
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

function analyze(doc: unknown): Analysis {
  const issues: ConfigIssue[] = [];
  const nodes = new Map<string, NodeInfo>();
  const hasDownstream = new Set<string>();
  const result = { issues, nodes, hasDownstream };
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
    const info = checkNode(raw, index, issues, nodes, names, embedded);
    if (info) nodes.set(info.node.id, info);
  });
  const edgeIds = new Set<string>();
  const valid: PipelineEdge[] = [];
  const rawEdges: readonly unknown[] = doc.edges;
  rawEdges.forEach((raw, i) => {
    const e = checkEdge(raw, i, issues, nodes, edgeIds);
    if (e) valid.push(e);
  });
  // Explicit slots first, then edges without a slot fill the first free one, in edge order.
  for (const pass of ['explicit', 'implicit'] as const) {
    valid.forEach((e) => {
      if ((e.targetSlot !== undefined) !== (pass === 'explicit')) return;
      connect(e, rawEdges.indexOf(e), nodes, issues);
      hasDownstream.add(e.source);
    });
  }
  for (const info of nodes.values()) {
    if (info.def?.kind !== 'feature') continue;
    info.slots.forEach((slot, s) => {
      if (info.inputs[s]) return;
      issues.push({
        path: `nodes[${info.index}]`,
        nodeId: info.node.id,
        message: `node "${info.node.id}" (${info.def!.name}) is missing an input for slot "${slot.name}" (accepts ${slot.accepts.join(' | ')})`,
      });
    });
  }
  reportCycles(nodes, issues);
  return result;
}

/** A node's definition: the registry's, unless the document embeds another revision of it. */
function resolveDefinition(
  name: string,
  embedded: ReadonlyMap<string, AnyDefinition>,
): AnyDefinition | undefined {
  const registered = findDefinition(name);
  const own = embedded.get(name);
  if (own === undefined) return registered;
  return registered?.revision === own.revision ? registered : own;
}

function checkNode(
  raw: unknown,
  index: number,
  issues: ConfigIssue[],
  nodes: ReadonlyMap<string, NodeInfo>,
  names: Map<string, string>,
  embedded: ReadonlyMap<string, AnyDefinition>,
): NodeInfo | undefined {
  const p = `nodes[${index}]`;
  if (!isRecord(raw)) {
    issues.push({ path: p, message: `expected a node object, got ${show(raw)}` });
    return undefined;
  }
  if (typeof raw.id !== 'string' || raw.id === '') {
    issues.push({
      path: `${p}.id`,
      message: `expected a non-empty string id, got ${show(raw.id)}`,
    });
    return undefined;
  }
  const id = raw.id;
  const add = (path: string, message: string): void =>
    void issues.push({ path: `${p}${path}`, nodeId: id, message });
  if (nodes.has(id)) {
    add('.id', `duplicate node id "${id}"`);
    return undefined;
  }
  for (const k of Object.keys(raw))
    if (!NODE_KEYS.includes(k))
      add(`.${k}`, `unknown field "${k}" (known: ${NODE_KEYS.join(', ')})`);
  if (raw.name !== undefined) {
    if (typeof raw.name !== 'string' || raw.name === '')
      add('.name', `expected a non-empty string, got ${show(raw.name)}`);
    else if (names.has(raw.name))
      add('.name', `duplicate name "${raw.name}" (also node "${names.get(raw.name)}")`);
    else names.set(raw.name, id);
  }
  const pos = raw.position;
  if (pos !== undefined && !(isRecord(pos) && Number.isFinite(pos.x) && Number.isFinite(pos.y))) {
    add('.position', `expected {x, y} numbers, got ${show(pos)}`);
  }
  if (raw.worker !== undefined && typeof raw.worker !== 'string')
    add('.worker', `expected a string, got ${show(raw.worker)}`);
  const rawParams = raw.params ?? {};
  if (!isRecord(rawParams)) add('.params', `expected an object of params, got ${show(raw.params)}`);
  let def: AnyDefinition | undefined;
  if (typeof raw.definition !== 'string')
    add('.definition', `expected a definition name, got ${show(raw.definition)}`);
  else {
    def = resolveDefinition(raw.definition, embedded);
    if (!def) add('.definition', `node "${id}": ${unknownDefinitionMessage(raw.definition)}`);
  }
  let params: ResolvedParams | undefined;
  let slots: readonly DepSlot[] = [];
  if (def && isRecord(rawParams)) {
    const r = resolveParams(def.params, rawParams);
    for (const e of r.errors) add(`.params.${e.param}`, `node "${id}" (${def.name}): ${e.message}`);
    if (r.errors.length === 0) params = r.params;
    if (def.kind === 'feature')
      slots = depUpstreamSchema(def, params?.dep_schema ?? rawParams.dep_schema);
  }
  const node = raw as unknown as PipelineNode;
  return { node, index, def, params, slots, inputs: slots.map(() => undefined) };
}

function checkEdge(
  raw: unknown,
  i: number,
  issues: ConfigIssue[],
  nodes: ReadonlyMap<string, NodeInfo>,
  edgeIds: Set<string>,
): PipelineEdge | undefined {
  const p = `edges[${i}]`;
  if (!isRecord(raw)) {
    issues.push({ path: p, message: `expected an edge object, got ${show(raw)}` });
    return undefined;
  }
  if (typeof raw.id !== 'string' || raw.id === '') {
    issues.push({
      path: `${p}.id`,
      message: `expected a non-empty string id, got ${show(raw.id)}`,
    });
    return undefined;
  }
  const id = raw.id;
  const before = issues.length;
  const add = (path: string, message: string): void =>
    void issues.push({ path: `${p}${path}`, edgeId: id, message });
  if (edgeIds.has(id)) add('.id', `duplicate edge id "${id}"`);
  edgeIds.add(id);
  for (const k of Object.keys(raw))
    if (!EDGE_KEYS.includes(k))
      add(`.${k}`, `unknown field "${k}" (known: ${EDGE_KEYS.join(', ')})`);
  for (const end of ['source', 'target'] as const) {
    const v = raw[end];
    if (typeof v !== 'string' || !nodes.has(v))
      add(`.${end}`, `edge "${id}": unknown ${end} node ${show(v)}`);
  }
  if (raw.targetSlot !== undefined && typeof raw.targetSlot !== 'string') {
    add('.targetSlot', `expected a slot name, got ${show(raw.targetSlot)}`);
  }
  if (issues.length > before) return undefined;
  const target = nodes.get(raw.target as string)!;
  if (target.def?.kind === 'source') {
    add(
      '.target',
      `edge "${id}": node "${target.node.id}" is a data source (${target.def.name}) and takes no inputs`,
    );
    return undefined;
  }
  if (raw.source === raw.target) {
    add('', `cycle: edge "${id}" feeds node "${target.node.id}" into itself`);
    return undefined;
  }
  return raw as unknown as PipelineEdge;
}

/** Put an edge into its slot of the target; report unknown slots, too many inputs, wrong kinds. */
function connect(
  e: PipelineEdge,
  i: number,
  nodes: ReadonlyMap<string, NodeInfo>,
  issues: ConfigIssue[],
): void {
  const target = nodes.get(e.target)!;
  const source = nodes.get(e.source)!;
  const add = (path: string, message: string): void =>
    void issues.push({ path: `edges[${i}]${path}`, edgeId: e.id, message });
  if (!target.def) return; // unknown definition, already reported
  const slotNames = target.slots.map((s) => s.name).join(', ');
  let s: number;
  if (e.targetSlot !== undefined) {
    s = target.slots.findIndex((slot) => slot.name === e.targetSlot);
    if (s < 0) {
      add(
        '.targetSlot',
        `edge "${e.id}": node "${e.target}" (${target.def.name}) has no input slot "${e.targetSlot}" (slots: ${slotNames})`,
      );
      return;
    }
    const taken = target.inputs[s];
    if (taken) {
      add(
        '.targetSlot',
        `edge "${e.id}": too many inputs: slot "${e.targetSlot}" of node "${e.target}" is already fed by edge "${taken.id}"`,
      );
      return;
    }
  } else {
    s = target.inputs.findIndex((x) => x === undefined);
    if (s < 0) {
      add(
        '',
        `edge "${e.id}": too many inputs: node "${e.target}" (${target.def.name}) takes ${target.slots.length} (${slotNames})`,
      );
      return;
    }
  }
  target.inputs[s] = e;
  const slot = target.slots[s]!;
  if (source.def && source.params) {
    const kind = source.def.outputKind(source.params);
    if (!slot.accepts.includes(kind)) {
      add(
        '',
        `edge "${e.id}": wrong input kind: node "${e.source}" (${source.def.name}) outputs ${kind}, but slot "${slot.name}" of node "${e.target}" (${target.def.name}) accepts ${slot.accepts.join(' | ')}`,
      );
    }
  }
}

/** One issue per cycle among the connected edges, listing its node ids. */
function reportCycles(nodes: ReadonlyMap<string, NodeInfo>, issues: ConfigIssue[]): void {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const e of nodes.get(id)!.inputs) {
      if (!e) continue;
      const st = state.get(e.source);
      if (st === 'active') {
        const cycle = stack.slice(stack.indexOf(e.source));
        const info = nodes.get(e.source)!;
        issues.push({
          path: `nodes[${info.index}]`,
          nodeId: e.source,
          message: `cycle: ${[...cycle, e.source].reverse().join(' → ')} (a node cannot depend on its own output)`,
        });
      } else if (st === undefined) visit(e.source);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of nodes.keys()) if (!state.has(id)) visit(id);
}
