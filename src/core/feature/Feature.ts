import type { AnyDefinition } from '../definitions/DataDefinition.ts';
import type { ResolvedParams } from '../params/ParamSchema.ts';
import { canonicalJson, hashText } from './canonicalJson.ts';

/**
 * A node of a feature tree: a definition with resolved params over child features. Leaves are data
 * sources. Two features with the same definition, params and children have the same `key`, in Node
 * and in the browser, across runs; a graph builds one shared node per key. `name` is a label only
 * and is not part of the key (as in the seed).
 */
export class Feature {
  readonly key: string;

  constructor(
    readonly definition: AnyDefinition,
    readonly params: ResolvedParams,
    readonly children: readonly Feature[] = [],
    readonly name?: string,
  ) {
    // Children are keyed with their slot index so f(a, b) and f(b, a) differ, then sorted as the
    // seed sorts child keys.
    const childKeys = children.map((c, slot) => `${slot}:${c.key}`).sort();
    // A revision (a user definition's source hash) is keyed only when present, so built-in keys
    // are unchanged and edited user code never restores the state of its previous version.
    const rev = definition.revision;
    this.key = hashText(
      canonicalJson({
        definition: definition.name,
        ...(rev !== undefined ? { revision: rev } : {}),
        params,
        children: childKeys,
      }),
    );
  }

  get isSource(): boolean {
    return this.definition.kind === 'source';
  }

  /** Data-source leaves, post-order, each once. */
  dataSources(): Feature[] {
    const out = new Map<string, Feature>();
    const visit = (f: Feature): void => {
      if (f.isSource) out.set(f.key, f);
      else f.children.forEach(visit);
    };
    visit(this);
    return [...out.values()];
  }

  /** A copy with another label. */
  withName(name: string | undefined): Feature {
    return new Feature(this.definition, this.params, this.children, name);
  }

  /** The seed's repr: the name, else `feature_<Def>_<key8>` / `data_source_<Def>_<key8>`. */
  toString(): string {
    if (this.name) return this.name;
    return `${this.isSource ? 'data_source' : 'feature'}_${this.definition.name}_${this.key.slice(0, 8)}`;
  }
}
