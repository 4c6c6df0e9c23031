import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { depUpstreamSchema, type PortKind } from '../../core/definitions/DataDefinition.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';

/** A proposed connection: `source`'s output into `targetSlot` of `target`. */
export interface ConnectionProposal {
  readonly source: string;
  readonly target: string;
  readonly targetSlot: string;
}

export type ConnectionCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Output kind of a node (params resolved with defaults; bad params fall back to defaults). */
export function nodeOutputKind(doc: PipelineDoc, id: string): PortKind | undefined {
  const node = doc.nodes.find((n) => n.id === id);
  const def = node && findDefinition(node.definition);
  if (!node || !def) return undefined;
  return def.outputKind(resolveParams(def.params, node.params).params);
}

/** Input slots of a node (none for sources). */
export function nodeSlots(doc: PipelineDoc, id: string) {
  const node = doc.nodes.find((n) => n.id === id);
  const def = node && findDefinition(node.definition);
  if (!node || !def || def.kind !== 'feature') return [];
  return depUpstreamSchema(def, node.params.dep_schema);
}

/**
 * Typed ports: whether a connection may be made, and if not, a sentence saying why (shown while
 * the user drags). Checks self-loops, sources as targets, unknown or occupied slots, the output
 * kind against the slot's `accepts`, and cycles.
 */
export function checkConnection(doc: PipelineDoc, p: ConnectionProposal): ConnectionCheck {
  const label = (id: string): string => {
    const n = doc.nodes.find((x) => x.id === id);
    return n?.name ?? id;
  };
  if (p.source === p.target) return no(`${label(p.source)} cannot feed its own input`);
  const target = doc.nodes.find((n) => n.id === p.target);
  const tdef = target && findDefinition(target.definition);
  if (!target || !tdef) return no('unknown target node');
  if (tdef.kind === 'source') return no(`${label(p.target)} is a data source and takes no inputs`);
  const slot = nodeSlots(doc, p.target).find((s) => s.name === p.targetSlot);
  if (!slot) return no(`${tdef.title} has no input "${p.targetSlot}"`);
  const kind = nodeOutputKind(doc, p.source);
  if (kind === undefined) return no('unknown source node');
  if (!slot.accepts.includes(kind))
    return no(
      `${label(p.source)} outputs ${kind}, but input "${slot.name}" of ${tdef.title} accepts ${slot.accepts.join(' | ')}`,
    );
  const slots = edgeSlots(doc);
  const fed = doc.edges.find((e) => e.target === p.target && slots.get(e.id) === p.targetSlot);
  if (fed)
    return no(`input "${slot.name}" of ${label(p.target)} is already fed by ${label(fed.source)}`);
  if (reaches(doc, p.target, p.source))
    return no(`that would make a cycle: ${label(p.source)} already depends on ${label(p.target)}`);
  return { ok: true };
}

/**
 * The input slot each edge feeds: its `targetSlot`, or for edges without one (imported
 * documents) the target's first free slot in edge order — the same rule as validatePipeline.
 */
export function edgeSlots(doc: PipelineDoc): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Map<string, Set<string>>();
  const take = (target: string, slot: string): void => {
    const set = used.get(target) ?? new Set<string>();
    set.add(slot);
    used.set(target, set);
  };
  for (const e of doc.edges)
    if (e.targetSlot !== undefined) {
      out.set(e.id, e.targetSlot);
      take(e.target, e.targetSlot);
    }
  for (const e of doc.edges) {
    if (e.targetSlot !== undefined) continue;
    const free = nodeSlots(doc, e.target).find((s) => !used.get(e.target)?.has(s.name));
    if (!free) continue;
    out.set(e.id, free.name);
    take(e.target, free.name);
  }
  return out;
}

/** Whether `to` is reachable from `from` following edges downstream. */
function reaches(doc: PipelineDoc, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

function no(reason: string): ConnectionCheck {
  return { ok: false, reason };
}
