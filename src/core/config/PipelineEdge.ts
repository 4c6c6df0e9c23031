/**
 * An edge of a pipeline document (`PipelineDoc.edges`): one node's output into an input slot of
 * another. Its own file so the wiring (`wirePipelineEdges`) can name it without importing the
 * document.
 */
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
