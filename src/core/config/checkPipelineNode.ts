import {
  type AnyDefinition,
  depUpstreamSchema,
  type DepSlot,
} from '../definitions/DataDefinition.ts';
import { findDefinition } from '../definitions/registry.ts';
import { resolveParams, type ResolvedParams } from '../params/ParamSchema.ts';
import { type ConfigIssue, isRecord, show, unknownDefinitionMessage } from './ConfigError.ts';
import type { PipelineEdge } from './PipelineEdge.ts';
import type { PipelineNode } from './PipelineNode.ts';

const NODE_KEYS = ['id', 'definition', 'params', 'name', 'position', 'worker'];

/** A checked node: definition, resolved params (when valid), input slots and the edge in each. */
export interface CheckedNode {
  readonly node: PipelineNode;
  /** Position in `doc.nodes` (issue paths). */
  readonly index: number;
  readonly def: AnyDefinition | undefined;
  readonly params: ResolvedParams | undefined;
  readonly slots: readonly DepSlot[];
  /** The edge feeding each slot, filled by `wirePipelineEdges`. */
  readonly inputs: (PipelineEdge | undefined)[];
}

/**
 * Check the node at `doc.nodes[index]`, pushing each problem onto `issues` (path `nodes[i].field`,
 * with its node id): malformed fields, duplicate ids or names (`nodes` are the nodes checked so
 * far, `names` their names), unknown definition, bad params. `embedded` are the document's own
 * definitions. Returns the checked node (its inputs empty until `wirePipelineEdges`), or
 * undefined when it is not an object or its id is missing or taken; a node with other problems is
 * still returned, so edges to it report only their own problems.
 */
export function checkPipelineNode(
  input: unknown,
  index: number,
  issues: ConfigIssue[],
  nodes: ReadonlyMap<string, CheckedNode>,
  names: Map<string, string>,
  embedded: ReadonlyMap<string, AnyDefinition>,
): CheckedNode | undefined {
  const p = `nodes[${index}]`;
  const raw = withId(input, p, 'a node', issues);
  if (raw === undefined) return undefined;
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

/**
 * `raw` if it is an object with a non-empty string `id`; otherwise undefined, with the issue
 * pushed (at `p`, or `p.id`). Nodes and edges are checked past this point only with an id to name.
 */
export function withId(
  raw: unknown,
  p: string,
  what: 'a node' | 'an edge',
  issues: ConfigIssue[],
): (Record<string, unknown> & { readonly id: string }) | undefined {
  if (!isRecord(raw)) {
    issues.push({
      path: p,
      message: `expected ${what} object, got ${show(raw)}`,
    });
    return undefined;
  }
  if (typeof raw.id !== 'string' || raw.id === '') {
    issues.push({
      path: `${p}.id`,
      message: `expected a non-empty string id, got ${show(raw.id)}`,
    });
    return undefined;
  }
  return raw as Record<string, unknown> & { readonly id: string };
}
