// Diamonds across workers (one input reaching a node through two lanes): the bytes of a
// partitioned run must equal the in-thread run's, whatever the partitioning. The in-thread graph
// is depth-first (a shared node feeds its consumers in wiring order), so a node joining A and
// X(A) sees, within one input, its two inputs in that order; workers must reproduce it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLines } from '../../core/batch/runLines.ts';
import type { AnyDefinition } from '../../core/definitions/DataDefinition.ts';
import { Feature } from '../../core/feature/Feature.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { dagNodes } from '../../runtime/FeatureStreamWorkerGraph.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { orderSensitiveSources } from '../../testing/core/userDefinitions.ts';
import { faultMidRun } from '../../testing/runtime/faultMidRun.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const budget = { hardwareConcurrency: 8, maxWorkers: 16 };

const sources = orderSensitiveSources();
const step = compileDefinitionOrThrow(sources.step);
const join = compileDefinitionOrThrow(sources.join);
const twice = compileDefinitionOrThrow(sources.twice);

/** A random DAG over the two built-in mids: each node a step, a twice or a join of earlier nodes. */
type NodeSpec = { kind: 'step' | 'twice'; a: number } | { kind: 'join'; a: number; b: number };

function build(specs: readonly NodeSpec[], outs: readonly number[]): Feature[] {
  const mids = multiFeatures().filter((f) => f.name?.startsWith('mid_'));
  const nodes: Feature[] = [...mids];
  const defs: Record<NodeSpec['kind'], AnyDefinition> = { step, twice, join };
  specs.forEach((s, i) => {
    const children = s.kind === 'join' ? [nodes[s.a]!, nodes[s.b]!] : [nodes[s.a]!];
    nodes.push(new Feature(defs[s.kind], {}, children, `n${i}`));
  });
  return [...new Set(outs.map((o) => nodes[2 + (o % specs.length)]!))];
}

// A join of a node with itself is kept: its two slots name one feature, so it has one upstream
// (a key names a computation), the same shape as a join of two key-equal nodes.
const nodeSpecs = fc
  .integer({ min: 2, max: 6 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.oneof(
          fc.record({ kind: fc.constantFrom('step' as const, 'twice' as const), a: fc.nat(i + 1) }),
          fc.record({ kind: fc.constant('join' as const), a: fc.nat(i + 1), b: fc.nat(i + 1) }),
        ),
      ),
    ),
  );

const lines = fixtureLines().slice(0, 240);
const text = lines.join('\n');

/**
 * An explicit placement: nodes in DAG order, a new worker wherever `bumps` says (so the worker
 * graph stays acyclic). It puts several consumers of one shared input in one worker with another
 * worker's consumer between them in DAG order, which per-node and per-source never do.
 */
function explicit(features: readonly Feature[], bumps: readonly boolean[]): ScalingStrategy {
  const workers: Record<string, number> = {};
  let label = 0;
  dagNodes(features).forEach(
    (f, i) => (workers[f.key] = bumps[i % bumps.length] ? ++label : label),
  );
  return { kind: 'explicit', workers };
}

async function check(features: Feature[], bumps: readonly boolean[] = [true]): Promise<void> {
  const inThread = runLines(features, text, { format: 'ndjson' }).output;
  const strategies: ScalingStrategy[] = [
    { kind: 'per-node' },
    { kind: 'per-source' },
    explicit(features, bumps),
  ];
  for (const strategy of strategies) {
    const r = await runWorkers(features, lines, platform, {
      format: 'ndjson',
      strategy,
      budget,
      feedBatch: 32,
    });
    expect(r.output, JSON.stringify(strategy)).toBe(inThread);
  }
}

describe('a diamond split across workers gives the in-thread bytes', { timeout: 600_000 }, () => {
  it('A→C and A→X→C (the smallest diamond)', async () => {
    // node 2 = step(mid BTC); node 3 = join(mid BTC, node 2)
    await check(
      build(
        [
          { kind: 'step', a: 0 },
          { kind: 'join', a: 0, b: 2 },
        ],
        [1],
      ),
    );
  });

  it('reconvergent paths of different lengths, multi-output nodes and joins of two sources', async () => {
    await check(
      build(
        [
          { kind: 'twice', a: 0 }, // 2
          { kind: 'step', a: 2 }, // 3
          { kind: 'join', a: 3, b: 0 }, // 4: mid → twice → step, and mid
          { kind: 'join', a: 4, b: 1 }, // 5: with the other source
          { kind: 'join', a: 5, b: 2 }, // 6
        ],
        [4],
      ),
    );
  });

  it('one worker with two consumers of a shared input, another worker’s consumer between them', async () => {
    // mid(0) feeds n0 = step, n1 = twice and n3 = join(mid, n2 = step(n1)): in DAG order n0, n1, n2,
    // n3. Placed [.. mid] [n0] [n1 n2] [n3]... and with n0, n3 together: the join's inputs from
    // mid and from n2 come from two workers, and mid's other consumer sits in between.
    const fs = build(
      [
        { kind: 'step', a: 0 },
        { kind: 'twice', a: 0 },
        { kind: 'step', a: 3 },
        { kind: 'join', a: 0, b: 4 },
      ],
      [0, 3],
    );
    const nodes = dagNodes(fs);
    const label = (f: Feature): number =>
      f.name === 'n1' || f.name === 'n2' ? 2 : f.name === 'n0' || f.name === 'n3' ? 1 : 0;
    const workers = Object.fromEntries(nodes.map((f) => [f.key, label(f)]));
    const inThread = runLines(fs, text, { format: 'ndjson' }).output;
    const r = await runWorkers(fs, lines, platform, {
      format: 'ndjson',
      strategy: { kind: 'explicit', workers },
      budget,
      feedBatch: 32,
    });
    expect(r.output).toBe(inThread);
  });

  it('a worker killed mid-run is restored from its checkpoint with the same bytes', async () => {
    // n1 = join(mid, twice(mid)) and n2 = join(n1, twice(mid)), per-node: n1's worker joins two lanes.
    const fs = build(
      [
        { kind: 'twice', a: 0 },
        { kind: 'join', a: 0, b: 2 },
        { kind: 'join', a: 3, b: 2 },
      ],
      [2],
    );
    const all = fixtureLines();
    const inThread = runLines(fs, all.join('\n'), { format: 'ndjson' }).output;
    const joiner = dagNodes(fs).findIndex((f) => f.name === 'n1');
    expect(joiner).toBeGreaterThan(0);
    const fault = faultMidRun(joiner, 'terminate', all.length);
    const r = await runWorkers(fs, all, platform, {
      format: 'ndjson',
      strategy: { kind: 'per-node' },
      budget,
      feedBatch: 16,
      ...fault.options,
    });
    expect(fault.faulted()).toBe(true);
    expect(r.output).toBe(inThread);
    await new Promise((res) => setTimeout(res, 250));
    expect(fault.events).toContain('recovered');
  });

  it('two distinct node objects with one key are one feature (seed 1739893329)', async () => {
    // n0 and n1 are both join(mid_1, mid_0): two objects, one key, so one feature in every
    // engine, and n2 = join(n0, n1) has one upstream, as join(n0, n0) has. The in-thread graph
    // used to feed n2 the shared stream once per object: twice the lines the workers wrote.
    const specs: NodeSpec[] = [
      { kind: 'join', a: 1, b: 0 },
      { kind: 'join', a: 1, b: 0 },
      { kind: 'join', a: 2, b: 3 },
    ];
    const fs = build(specs, [2]);
    const [n0, n1] = fs[0]!.children;
    expect(n0).not.toBe(n1);
    expect(n0!.key).toBe(n1!.key);
    const lineCount = (t: string): number => t.split('\n').filter((l) => l !== '').length;
    const inThread = runLines(fs, text, { format: 'ndjson' }).output;
    // One n2 line per n0 line, and the bytes of one object used twice.
    expect(lineCount(inThread)).toBe(lineCount(runLines([n0!], text, { format: 'ndjson' }).output));
    const once = build([specs[0]!, specs[1]!, { kind: 'join', a: 2, b: 2 }], [2]);
    expect(runLines(once, text, { format: 'ndjson' }).output).toBe(inThread);
    await check(fs);
    // Both objects as outputs: two columns of one feature, on any partitioning.
    await check([n1!, ...fs, n0!]);
  });

  it('random DAGs of steps, multi-output nodes and joins (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        nodeSpecs,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        async (specs, outs, bumps) => {
          const features = build(specs, outs);
          await check(features, bumps);
        },
      ),
      { numRuns: 10 },
    );
  });
});
