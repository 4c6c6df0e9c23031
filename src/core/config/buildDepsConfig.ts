import { depUpstreamSchema } from '../definitions/DataDefinition.ts';
import { Feature } from '../feature/Feature.ts';
import type { ConfigBuildState } from './ConfigBuildState.ts';
import type { FeatureConfig } from './FeaturizerConfig.ts';

/**
 * Build config entry `i`, which has `deps`, once every dep names (by `name`) or keys (by `key`)
 * a feature built so far: its root takes `params.feature[0]`, its slots are filled by the deps in
 * order. Sets `state.built[i]` or adds `i` to `state.failed` (problems in `state.issues`), and
 * returns true; false when a dep is not built yet (retry in a later pass).
 */
export function buildDepsConfig(state: ConfigBuildState, i: number, c: FeatureConfig): boolean {
  const deps = c.deps!.map((d) => findDep(state, d));
  if (deps.some((d) => d === undefined)) {
    // Deps naming a config that failed can never resolve: give up now, reported below.
    return (
      c.deps!.every((d, j) => deps[j] !== undefined || isFailedName(state, d)) &&
      failDeps(state, i, c)
    );
  }
  const p = `feature_configs[${i}]`;
  const before = state.issues.length;
  const def = state.lookupDefinition(c.feature_definition, `${p}.feature_definition`);
  if (def && def.kind !== 'feature') {
    state.issue(`${p}.deps`, `${def.name} is a data source: it takes no deps`);
  }
  const features = state.positional(c, p, 'feature');
  for (const d of features.keys()) {
    if (d !== 0)
      state.issue(
        `${p}.params.feature[${d}]`,
        `a config with deps has one feature node (depth 0), not depth ${d}`,
      );
  }
  for (const s of state.positional(c, p, 'data_source').keys()) {
    state.issue(
      `${p}.params.data_source[${s}]`,
      'a config with deps takes its inputs from deps: data_source is not used',
    );
  }
  if (!def || def.kind !== 'feature') {
    state.failed.add(i);
    return true;
  }
  const raw = features.get(0) ?? {};
  const params = state.resolve(def, raw, `${p}.params.feature[0]`);
  const slots = depUpstreamSchema(def, params?.dep_schema ?? raw.dep_schema);
  if (slots.length !== deps.length) {
    const names = slots.map((s) => s.name).join(', ');
    state.issue(
      `${p}.deps`,
      `${def.name} takes ${slots.length} input(s) (${names}), got ${deps.length}`,
    );
  } else {
    slots.forEach((slot, j) =>
      state.checkKind(def, slot, deps[j]!, `${p}.deps[${j}]`, `dep "${c.deps![j]}"`),
    );
  }
  if (params && state.issues.length === before) {
    state.built[i] = state.intern(new Feature(def, params, deps as Feature[]));
  } else state.failed.add(i);
  return true;
}

/** After a pass without progress: name each dep of `pending` that is unknown or part of a cycle. */
export function reportUnresolvedDeps(state: ConfigBuildState, pending: readonly number[]): void {
  const pendingSet = new Set(pending);
  for (const i of pending) {
    const c = state.configs[i]!;
    c.deps!.forEach((d, j) => {
      if (findDep(state, d) !== undefined) return;
      const path = `feature_configs[${i}].deps[${j}]`;
      const idx = state.nameToIndex.get(d);
      if (idx === undefined) {
        const names = [...state.nameToIndex.keys()];
        state.issue(
          path,
          `unknown dep "${d}": no feature config has this name and no built feature has this key (names: ${names.join(', ') || 'none'})`,
        );
      } else if (pendingSet.has(idx)) {
        const cycle = findCycle(state, idx, pendingSet);
        const text = cycle
          ? `cycle: ${cycle.join(' → ')}`
          : `waits on feature_configs[${idx}], which is never built`;
        state.issue(path, `dep "${d}" cannot be built (${text})`);
      } else {
        state.issue(path, `dep "${d}" could not be built: see feature_configs[${idx}]`);
      }
    });
  }
}

/** The feature a dep names: a configured name first, then any built node's key. */
function findDep(state: ConfigBuildState, dep: string): Feature | undefined {
  const idx = state.nameToIndex.get(dep);
  if (idx !== undefined) return state.built[idx];
  return state.pool.get(dep);
}

function isFailedName(state: ConfigBuildState, dep: string): boolean {
  const idx = state.nameToIndex.get(dep);
  return idx !== undefined && state.failed.has(idx);
}

function failDeps(state: ConfigBuildState, i: number, c: FeatureConfig): true {
  c.deps!.forEach((d, j) => {
    if (isFailedName(state, d)) {
      state.issue(
        `feature_configs[${i}].deps[${j}]`,
        `dep "${d}" could not be built: see feature_configs[${state.nameToIndex.get(d)}]`,
      );
    }
  });
  state.failed.add(i);
  return true;
}

/** Names along a dependency cycle through config `start`, if there is one. */
function findCycle(
  state: ConfigBuildState,
  start: number,
  pending: ReadonlySet<number>,
): string[] | undefined {
  const nameOf = (i: number): string => state.configs[i]!.name ?? `feature_configs[${i}]`;
  const stack: number[] = [];
  const seen = new Set<number>();
  const visit = (i: number): string[] | undefined => {
    const at = stack.indexOf(i);
    if (at >= 0) return [...stack.slice(at), i].map(nameOf);
    if (seen.has(i)) return undefined;
    seen.add(i);
    stack.push(i);
    for (const d of state.configs[i]!.deps ?? []) {
      const j = state.nameToIndex.get(d);
      if (j !== undefined && pending.has(j)) {
        const found = visit(j);
        if (found) return found;
      }
    }
    stack.pop();
    return undefined;
  };
  return visit(start);
}
