/** Subgraphs of one pipeline that decode the same venues: a worker runs them with one decoder. */
export interface ClaimGroup {
  /** The venues they decode (`SubgraphProcessor.decodeKey`). */
  readonly venues: string;
  /** `[pipeline, subgraph index]`, in index order. */
  readonly subgraphs: readonly (readonly [string, number])[];
}

/**
 * The order in which a worker tries to claim groups (`ClusterWorker`): those whose venues it
 * already decodes (it holds one of their subgraphs), then those of venues it decoded before in
 * this process, then the others; within each kind, from group `offset` on (random per claim
 * round, so workers do not all race for the same group). Venues decoded before come first because
 * their code is optimized in this process: two workers that swapped venues between a pipeline and
 * the next (a redeploy) each ran the other venue's adapter cold (the cluster bench's steady state
 * with 2 workers decoded at about the cost of a first run).
 */
export function claimOrder(
  groups: readonly ClaimGroup[],
  owns: (pipeline: string, index: number) => boolean,
  decodedBefore: ReadonlySet<string>,
  offset: number,
): ClaimGroup[] {
  const rotated = groups.map((_, j) => groups[(j + offset) % groups.length]!);
  const decoding = (g: ClaimGroup): boolean => g.subgraphs.some(([p, i]) => owns(p, i));
  const before = (g: ClaimGroup): boolean => !decoding(g) && decodedBefore.has(g.venues);
  return [
    ...rotated.filter(decoding),
    ...rotated.filter(before),
    ...rotated.filter((g) => !decoding(g) && !before(g)),
  ];
}
