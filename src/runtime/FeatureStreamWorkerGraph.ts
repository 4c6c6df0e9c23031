import type { Feature } from '../core/feature/Feature.ts';
import { type FeatureDagSpec, dagNodes, toDagSpec } from './featureSpec.ts';

/** One worker's share of a pipeline. All numbers are node indexes into `dag.nodes`. */
export interface SubgraphPlan {
  readonly index: number;
  /** Nodes computed here, children first. */
  readonly nodes: readonly number[];
  /** Boundary inputs: nodes computed in another subgraph that nodes here consume. */
  readonly inputs: readonly number[];
  /** Data sources owned here (fed by this worker's emitters or the feeder). */
  readonly sources: readonly number[];
  /** Nodes here that other subgraphs consume. */
  readonly exports: readonly number[];
  /** Positions in `dag.outputs` of the pipeline outputs computed here. */
  readonly outputs: readonly number[];
}

/** Events of `features` (computed in `from`) flow to `to`; `id` is the edge's index. */
export interface WorkerEdge {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly features: readonly number[];
}

/**
 * The seed's FeatureStreamWorkerGraph, finished: a pipeline split into subgraphs and the edges
 * between them. Built from a node → subgraph assignment; the constructor checks the invariants
 * (every node in exactly one subgraph, no cycle between subgraphs) and numbers subgraphs in a
 * topological order, so upstream subgraphs always have smaller indexes.
 */
export class FeatureStreamWorkerGraph {
  readonly dag: FeatureDagSpec;
  readonly subgraphs: readonly SubgraphPlan[];
  readonly edges: readonly WorkerEdge[];
  /** Feature key of every node, by node index. */
  readonly keys: readonly string[];

  /** `assignment[i]` is the subgraph of node i of `dagNodes(outs)`; any non-negative labels. */
  constructor(outs: readonly Feature[], assignment: readonly number[]) {
    this.dag = toDagSpec(outs);
    this.keys = dagNodes(outs).map((f) => f.key);
    const n = this.dag.nodes.length;
    if (assignment.length !== n) throw new Error(`assignment has ${assignment.length}/${n} nodes`);
    const order = topoLabels(this.dag, assignment);
    const sub = assignment.map((label) => order.get(label)!);
    const k = order.size;
    const edgeMap = new Map<string, Set<number>>();
    const plans = Array.from({ length: k }, () => ({
      nodes: [] as number[],
      inputs: new Set<number>(),
      sources: [] as number[],
      exports: new Set<number>(),
    }));
    this.dag.nodes.forEach((node, i) => {
      const p = plans[sub[i]!]!;
      p.nodes.push(i);
      if (node.children.length === 0) p.sources.push(i);
      for (const c of node.children) {
        if (sub[c] === sub[i]) continue;
        p.inputs.add(c);
        plans[sub[c]!]!.exports.add(c);
        const key = `${sub[c]}>${sub[i]}`;
        if (!edgeMap.has(key)) edgeMap.set(key, new Set());
        edgeMap.get(key)!.add(c);
      }
    });
    const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
    this.subgraphs = plans.map((p, index) => ({
      index,
      nodes: p.nodes,
      inputs: sorted(p.inputs),
      sources: p.sources,
      exports: sorted(p.exports),
      outputs: this.dag.outputs.flatMap((node, pos) => (sub[node] === index ? [pos] : [])),
    }));
    this.edges = [...edgeMap.entries()]
      .map(([key, fs]) => {
        const [from, to] = key.split('>').map(Number) as [number, number];
        return { from, to, features: sorted(fs) };
      })
      .sort((a, b) => a.from - b.from || a.to - b.to)
      .map((e, id) => ({ id, ...e }));
  }

  /** Edges into subgraph `i`, by id. */
  inEdges(i: number): WorkerEdge[] {
    return this.edges.filter((e) => e.to === i);
  }

  /** Edges out of subgraph `i`, by id. */
  outEdges(i: number): WorkerEdge[] {
    return this.edges.filter((e) => e.from === i);
  }

  /** Subgraph index of every node, for tests and the studio's worker overlay. */
  subgraphOf(): number[] {
    const out = new Array<number>(this.dag.nodes.length);
    for (const s of this.subgraphs) for (const i of s.nodes) out[i] = s.index;
    return out;
  }
}

/**
 * Number the used labels in a topological order of the subgraph graph (ties by smallest node
 * index). Throws, naming a node on the cycle, when the assignment makes subgraphs depend on each
 * other both ways: workers would deadlock waiting for each other's watermarks.
 */
function topoLabels(dag: FeatureDagSpec, assignment: readonly number[]): Map<number, number> {
  const first = new Map<number, number>();
  assignment.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) throw new Error(`node ${i}: bad subgraph label ${l}`);
    if (!first.has(l)) first.set(l, i);
  });
  const deps = new Map<number, Set<number>>([...first.keys()].map((l) => [l, new Set()]));
  dag.nodes.forEach((node, i) => {
    for (const c of node.children) {
      if (assignment[c] !== assignment[i]) deps.get(assignment[i]!)!.add(assignment[c]!);
    }
  });
  const order = new Map<number, number>();
  const labels = [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
  while (order.size < labels.length) {
    const next = labels.find((l) => !order.has(l) && [...deps.get(l)!].every((d) => order.has(d)));
    if (next === undefined) {
      const stuck = labels.find((l) => !order.has(l))!;
      const node = dag.nodes[first.get(stuck)!]!;
      throw new Error(
        `partition has a cycle between subgraphs (through ${node.name ?? node.definition}): ` +
          'a subgraph must not both feed and consume another',
      );
    }
    order.set(next, order.size);
  }
  return order;
}

/** The nodes of `outs` in assignment order (re-exported for strategies and tests). */
export { dagNodes };
