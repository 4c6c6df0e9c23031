import type { ConfigIssue } from '../config/ConfigError.ts';
import { builtinDefinitions } from '../definitions/registry.ts';
import { hashText } from '../feature/canonicalJson.ts';
import { type UserFeatureDefinition, manifestOf } from './userFeatureDefinition.ts';
import { USER_API_VERSION, type UserFeatureManifest } from './UserFeatureSpec.ts';
import { validateUserSpec } from './validateUserSpec.ts';

/**
 * A user definition as a pipeline document carries it (`definitions` of an exported JSON or a
 * share link): the source, its content hash and API version, and the manifest (plain data: what
 * the studio shows on the canvas before the user trusts, and so before anything evaluates, the
 * code).
 */
export interface EmbeddedDefinition {
  readonly name: string;
  /** The user-definition API version (USER_API_VERSION) it was written against. */
  readonly version: number;
  /** `hashText(source)`: checked on load, and part of every feature key built from it. */
  readonly hash: string;
  readonly source: string;
  readonly manifest: UserFeatureManifest;
}

/** The embedded form of compiled (or shell) user definitions, sorted by name. */
export function embedDefinitions(defs: readonly UserFeatureDefinition[]): EmbeddedDefinition[] {
  return [...defs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => ({
      name: d.name,
      version: d.user.apiVersion,
      hash: d.user.hash,
      source: d.user.source,
      manifest: d.user.manifest,
    }));
}

/**
 * Problems of a document's `definitions` field, each naming `definitions[i].field`: shape, API
 * version, a hash that does not match the source (edited by hand or corrupted: the code is not
 * what was trusted), a manifest that does not declare a valid feature, duplicate names. Pure data
 * checks: nothing is evaluated.
 */
export function embeddedDefinitionIssues(raw: unknown): ConfigIssue[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return [{ path: 'definitions', message: 'expected a list' }];
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  raw.forEach((d: unknown, i) => {
    const at = `definitions[${i}]`;
    const add = (field: string, message: string): void => {
      issues.push({ path: `${at}${field}`, message });
    };
    if (typeof d !== 'object' || d === null) return add('', 'expected an object');
    const e = d as Record<string, unknown>;
    if (typeof e.name !== 'string') return add('.name', 'expected a string');
    if (names.has(e.name)) add('.name', `duplicate definition "${e.name}"`);
    if (builtinDefinitions.some((b) => b.name === e.name))
      add('.name', `"${e.name}" is a built-in definition: a document cannot replace it`);
    names.add(e.name);
    if (e.version !== USER_API_VERSION)
      add(
        '.version',
        `unsupported version ${String(e.version)} (this build reads ${USER_API_VERSION})`,
      );
    if (typeof e.source !== 'string') return add('.source', 'expected the module text');
    if (e.hash !== hashText(e.source))
      add('.hash', `does not match the source (expected ${hashText(e.source)})`);
    try {
      // A manifest is a spec without logic: check it as one with a stand-in onEvent.
      validateUserSpec({ ...(e.manifest as object), init: () => 0, onEvent: () => undefined });
      if ((e.manifest as UserFeatureManifest).name !== e.name)
        add('.manifest.name', `"${(e.manifest as UserFeatureManifest).name}" is not "${e.name}"`);
    } catch (err) {
      add('.manifest', (err as Error).message);
    }
  });
  return issues;
}

/**
 * A definition built from an embedded manifest only: ports, params and outputs for the canvas,
 * the inspector and feature keys, with the source riding along so workers compile it. Its
 * `stream()` throws: on the page's main thread user code never runs (pipeline workers compile
 * the source they receive in the DAG spec).
 */
export function shellDefinition(e: EmbeddedDefinition, trusted?: boolean): UserFeatureDefinition {
  const m = manifestOf(e.manifest);
  return {
    kind: 'feature',
    name: m.name,
    title: m.title,
    group: 'transforms',
    description: m.description,
    params: m.params,
    revision: e.hash,
    depSchemas: { [m.inputs.map((s) => s.name).join('_')]: m.inputs },
    outputKind: () => m.output.kind,
    outputSchema: () => m.output.schema,
    user: {
      source: e.source,
      hash: e.hash,
      apiVersion: e.version,
      manifest: m,
      ...(trusted !== undefined ? { trusted } : {}),
    },
    stream() {
      throw new Error(`${m.name}: user code runs only inside pipeline workers`);
    },
  };
}
