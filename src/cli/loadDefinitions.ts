import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatIssue } from '../core/config/ConfigError.ts';
import { registerDefinition } from '../core/definitions/registry.ts';
import {
  type EmbeddedDefinition,
  embeddedDefinitionIssues,
} from '../core/userdef/embeddedDefinitions.ts';
import type { UserFeatureDefinition } from '../core/userdef/userFeatureDefinition.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';

/** A definition that could not be loaded; the message names the file (and line) or field. */
export class DefinitionLoadError extends Error {}

const MODULE = /\.(ts|mts|js|mjs)$/;
const TEST = /\.test\.[cm]?[jt]s$/;

/** The module files of `--definitions` paths: a file as given, a folder's modules sorted by name. */
async function moduleFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      throw new DefinitionLoadError(`--definitions: ${p}: no such file or folder`);
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const names = (await readdir(p)).filter((n) => MODULE.test(n) && !TEST.test(n)).sort();
    if (names.length === 0)
      throw new DefinitionLoadError(`--definitions: ${p}: no .ts or .js definition modules`);
    out.push(...names.map((n) => path.join(p, n)));
  }
  return out;
}

/** Compile `source` and register it; `label` prefixes every problem. */
async function compileAndRegister(
  source: string,
  label: string,
  onFailure: (f: UserFailure) => void,
  seen: Map<string, string>,
): Promise<UserFeatureDefinition> {
  // Loaded on demand: the compiler (sucrase, acorn: ~0.5 MB) is for runs with user definitions
  // only, and parsing it cost every other `featurizer run` ~40 ms at startup.
  const { compileDefinition } = await import('../core/userdef/compileDefinition.ts');
  const r = compileDefinition(source, { onFailure });
  if (!r.ok)
    throw new DefinitionLoadError(r.problems.map((p) => `${label}: ${p.message}`).join('\n'));
  const name = r.definition.name;
  const other = seen.get(name);
  if (other !== undefined)
    throw new DefinitionLoadError(`${label}: definition "${name}" is also defined by ${other}`);
  try {
    registerDefinition(r.definition);
  } catch (e) {
    throw new DefinitionLoadError(`${label}: ${(e as Error).message}`);
  }
  seen.set(name, label);
  return r.definition;
}

/**
 * Load, compile and register the user definitions of `featurizer run --definitions` and of a
 * pipeline JSON's embedded `definitions` (checked first: version, content hash, manifest). A
 * definition is compiled once here; `--workers` runs recompile it from the source the DAG spec
 * carries. Throws a {@link DefinitionLoadError} naming the file and line, or the field.
 */
export async function loadDefinitions(
  paths: readonly string[],
  configText: string,
  configLabel: string,
  onFailure: (f: UserFailure) => void,
): Promise<UserFeatureDefinition[]> {
  const seen = new Map<string, string>();
  const out: UserFeatureDefinition[] = [];
  for (const file of await moduleFiles(paths)) {
    out.push(await compileAndRegister(await readFile(file, 'utf8'), file, onFailure, seen));
  }
  const embedded = embeddedIn(configText);
  if (embedded !== undefined) {
    const issues = embeddedDefinitionIssues(embedded);
    if (issues.length > 0) {
      throw new DefinitionLoadError(
        issues.map((i) => `${configLabel}: ${formatIssue(i)}`).join('\n'),
      );
    }
    for (const [i, e] of (embedded as EmbeddedDefinition[]).entries()) {
      const label = `${configLabel}: definitions[${i}] (${e.name})`;
      if (seen.has(e.name)) {
        // The same name from --definitions and the document: only the very same code may meet.
        const mine = out.find((d) => d.name === e.name);
        if (mine?.user.hash !== e.hash)
          throw new DefinitionLoadError(
            `${label}: differs from ${seen.get(e.name)} (other source)`,
          );
        continue;
      }
      out.push(await compileAndRegister(e.source, label, onFailure, seen));
    }
  }
  return out;
}

/** A JSON pipeline document's `definitions` (undefined for YAML, configs, or none). */
function embeddedIn(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    return typeof doc === 'object' && doc !== null ? doc.definitions : undefined;
  } catch {
    return undefined; // the config parser reports the syntax error, with its line
  }
}
