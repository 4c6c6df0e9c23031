import { outputColumnsOf } from '../core/batch/format.ts';
import { ConfigError } from '../core/config/ConfigError.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { featuresFromConfig } from '../core/config/featuresFromConfig.ts';
import { configFromPipeline } from '../core/config/pipelineConvert.ts';
import { outputNodes } from '../core/config/outputNodes.ts';

/** What CSV/Parquet export writes for a document, as the Recordings tab lists it. */
export interface ExportColumns {
  /** Each exported output's header name (`<name>-<field>` columns), in column order. */
  readonly names: readonly string[];
  /** Why the document cannot be exported (no config form), instead of names. */
  readonly error?: string;
  /** Charted nodes that are not outputs, so not in the export (name one to add it). */
  readonly missing: readonly { id: string; label: string }[];
}

/**
 * The export's outputs computed the way the export computes them (config form, then the CSV
 * header's names), so the list is exactly the file's columns; plus the charted nodes it leaves
 * out. Outputs are named nodes and nodes nothing reads from.
 */
export function exportColumns(doc: PipelineDoc, charted: readonly string[]): ExportColumns {
  const outputs = new Set(outputNodes(doc).map((o) => o.id));
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const missing = [...new Set(charted)]
    .filter((id) => byId.has(id) && !outputs.has(id))
    .map((id) => ({ id, label: byId.get(id)!.name ?? id }));
  try {
    const names = outputColumnsOf(featuresFromConfig(configFromPipeline(doc))).map((c) => c.column);
    return { names, missing };
  } catch (e) {
    const error = e instanceof ConfigError ? e.message : String(e);
    return { names: [], error, missing };
  }
}

/** A node name for `id` not used by another node: its id, else `<id>_2`, `<id>_3`… */
export function freeName(doc: PipelineDoc, id: string): string {
  const taken = new Set(doc.nodes.filter((n) => n.id !== id).map((n) => n.name));
  let name = id;
  for (let k = 2; taken.has(name); k++) name = `${id}_${k}`;
  return name;
}
