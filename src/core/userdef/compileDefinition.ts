import { type Program, parse } from 'acorn';
import { transform } from 'sucrase';
import { hashText } from '../feature/canonicalJson.ts';
import { type SourceProblem, checkModule } from './checkModule.ts';
import { LoopBudget } from './LoopBudget.ts';
import { API_PARAM, EXPORTS_PARAM, TICK, rewriteModule } from './rewriteModule.ts';
import { userApi } from './userApi.ts';
import { type UserFeatureDefinition, userFeatureDefinition } from './userFeatureDefinition.ts';
import { USER_API_VERSION, type UserFailure, type UserFeatureSpec } from './UserFeatureSpec.ts';
import { validateUserSpec } from './validateUserSpec.ts';

export interface CompileOptions {
  /** Loop iterations per input (see LoopBudget); default DEFAULT_LOOP_BUDGET. */
  readonly loopBudget?: number;
  /** Hears every node of this definition that fails at run time. */
  readonly onFailure?: (f: UserFailure) => void;
}

export type CompileResult =
  | { readonly ok: true; readonly definition: UserFeatureDefinition }
  | { readonly ok: false; readonly problems: readonly SourceProblem[] };

/** 1-based line of each offset of `text`. */
function lineIndex(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function problem(line: number, message: string): CompileResult {
  return { ok: false, problems: [{ line, pos: 0, message: `line ${line}: ${message}` }] };
}

/** The line of a run-time error inside the module body, from its stack, where the engine says. */
function errorLine(e: unknown): number | undefined {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  // V8 numbers a `new Function` body from line 3 (two header lines): "<anonymous>:LINE:COL".
  const m = /<anonymous>:(\d+):\d+/.exec(stack);
  return m ? Math.max(1, Number(m[1]) - 2) : undefined;
}

/**
 * Compile one definition module: transpile (sucrase; TypeScript or JavaScript, line numbers
 * kept), parse (acorn), check determinism (checkModule: every problem names its line), inject the
 * loop budget and turn the module into a function body (rewriteModule), then evaluate it with the
 * `featurizer` API as its only import. Pure: no I/O, no clock; the same source always compiles to
 * the same definition with the same `revision`. Evaluating runs the module's top level, so only
 * call this on code the user trusts, and in the studio only inside a worker.
 */
export function compileDefinition(source: string, options: CompileOptions = {}): CompileResult {
  let code: string;
  try {
    code = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      // An unused import is still an import: the check must see it.
      keepUnusedImports: true,
    }).code;
  } catch (e) {
    const loc = (e as { loc?: { line: number } }).loc;
    return problem(loc?.line ?? 1, (e as Error).message.replace(/ \(\d+:\d+\)$/, ''));
  }
  let program: Program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch (e) {
    const loc = (e as { loc?: { line: number } }).loc;
    return problem(loc?.line ?? 1, (e as Error).message.replace(/ \(\d+:\d+\)$/, ''));
  }
  const lineOf = lineIndex(code);
  const problems = checkModule(program, lineOf);
  const hasDefault = program.body.some((s) => s.type === 'ExportDefaultDeclaration');
  if (!hasDefault) {
    problems.push({
      line: 1,
      pos: code.length,
      message: 'line 1: no default export: end with `export default defineFeature({ … })`',
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const body = `"use strict";${rewriteModule(code, program)}`;
  const budget = new LoopBudget(options.loopBudget);
  const exportsObj: { default?: unknown } = {};
  try {
    const run = new Function(API_PARAM, EXPORTS_PARAM, TICK, body) as (
      api: typeof userApi,
      exp: typeof exportsObj,
      tick: () => void,
    ) => void;
    run(userApi, exportsObj, budget.tick);
    validateUserSpec(exportsObj.default);
  } catch (e) {
    return problem(errorLine(e) ?? 1, (e as Error).message ?? String(e));
  }
  const spec = exportsObj.default as UserFeatureSpec;
  const from = { source, hash: hashText(source), apiVersion: USER_API_VERSION };
  return { ok: true, definition: userFeatureDefinition(spec, from, budget, options.onFailure) };
}

/** {@link compileDefinition}, throwing an error listing every problem (for the CLI and workers). */
export function compileDefinitionOrThrow(
  source: string,
  options: CompileOptions = {},
  label = 'definition',
): UserFeatureDefinition {
  const r = compileDefinition(source, options);
  if (!r.ok) throw new Error(`${label}: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.definition;
}
