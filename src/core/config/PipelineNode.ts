/**
 * A node of a pipeline document (`PipelineDoc.nodes`): a definition with the params a user typed.
 * Its own file so the checks (`checkPipelineNode`) can name it without importing the document.
 */
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
