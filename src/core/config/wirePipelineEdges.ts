import { type ConfigIssue, show } from './ConfigError.ts';
import { type CheckedNode, withId } from './checkPipelineNode.ts';
import type { PipelineEdge } from './PipelineEdge.ts';

const EDGE_KEYS = ['id', 'source', 'target', 'targetSlot'];

/**
 * Wire the document's edges into the checked nodes' input slots (`CheckedNode.inputs`), pushing
 * each problem onto `issues`, in this order: malformed or duplicate edges and unknown ends (path
 * `edges[i].field`, with the edge id), then per edge an unknown slot, too many inputs or an input
 * of the wrong kind, then each feature slot left without an input, then one issue per cycle.
 * Edges naming a slot are connected first; the others fill the target's first free slot, in edge
 * order. Returns the ids of the nodes something reads from.
 */
export function wirePipelineEdges(
  rawEdges: readonly unknown[],
  nodes: ReadonlyMap<string, CheckedNode>,
  issues: ConfigIssue[],
): Set<string> {
  const hasDownstream = new Set<string>();
  const edgeIds = new Set<string>();
  const valid: PipelineEdge[] = [];
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
  return hasDownstream;
}

function checkEdge(
  input: unknown,
  i: number,
  issues: ConfigIssue[],
  nodes: ReadonlyMap<string, CheckedNode>,
  edgeIds: Set<string>,
): PipelineEdge | undefined {
  const p = `edges[${i}]`;
  const raw = withId(input, p, 'an edge', issues);
  if (raw === undefined) return undefined;
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
  nodes: ReadonlyMap<string, CheckedNode>,
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
function reportCycles(nodes: ReadonlyMap<string, CheckedNode>, issues: ConfigIssue[]): void {
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
