import type { Node, Program } from 'acorn';
import { fullAncestor } from 'acorn-walk';
import { USER_API_MODULE } from './UserFeatureSpec.ts';

/** A determinism or module-shape problem, at a 1-based line (and its offset in the code). */
export interface SourceProblem {
  readonly line: number;
  readonly pos: number;
  readonly message: string;
}

const CLOCK = 'reads the wall clock: time comes from events (input.timestamp)';
const NET = 'is network access: a definition computes from its inputs only';
const PLATFORM = 'is a platform API: a definition runs the same in Node and every worker';
const TIMER = 'is a timer: a definition runs synchronously, once per input';
const ASYNC = 'is asynchronous: a definition returns its output synchronously';
const EVAL = 'evaluates code at run time, which the compile check cannot see';

/** Globals a definition may not reference, and why. */
const FORBIDDEN_GLOBALS: Readonly<Record<string, string>> = {
  Date: CLOCK,
  performance: CLOCK,
  crypto: 'is randomness: the same input must give the same output',
  fetch: NET,
  XMLHttpRequest: NET,
  WebSocket: NET,
  EventSource: NET,
  navigator: PLATFORM,
  importScripts: NET,
  window: PLATFORM,
  document: PLATFORM,
  self: PLATFORM,
  globalThis: PLATFORM,
  global: PLATFORM,
  process: PLATFORM,
  require: `is a module import: only '${USER_API_MODULE}' may be imported`,
  module: PLATFORM,
  exports: PLATFORM,
  Buffer: PLATFORM,
  localStorage: PLATFORM,
  sessionStorage: PLATFORM,
  indexedDB: PLATFORM,
  postMessage: PLATFORM,
  Worker: PLATFORM,
  MessageChannel: PLATFORM,
  BroadcastChannel: PLATFORM,
  setTimeout: TIMER,
  setInterval: TIMER,
  setImmediate: TIMER,
  clearTimeout: TIMER,
  clearInterval: TIMER,
  queueMicrotask: TIMER,
  requestAnimationFrame: TIMER,
  Promise: ASYNC,
  eval: EVAL,
  Function: EVAL,
  Intl: 'is locale-dependent: output must not depend on the machine',
  WeakRef: 'depends on garbage collection',
  FinalizationRegistry: 'depends on garbage collection',
  SharedArrayBuffer: 'is shared memory between threads',
  Atomics: 'is shared memory between threads',
};

/** Properties a definition may not read, and why. */
const FORBIDDEN_PROPERTIES: Readonly<Record<string, string>> = {
  constructor: 'reaches the Function constructor (code evaluated at run time)',
  __proto__: 'changes prototypes shared by every definition in the worker',
  prototype: 'changes prototypes shared by every definition in the worker',
  toLocaleString: 'is locale-dependent: output must not depend on the machine',
  toLocaleDateString: CLOCK,
  toLocaleTimeString: CLOCK,
  caller: EVAL,
  callee: EVAL,
};

type AnyNode = Node & Record<string, unknown>;

/** The property name of a member expression when it is static (`a.b`, `a['b']`). */
function staticProperty(n: AnyNode): string | undefined {
  const p = n.property as AnyNode;
  if (!n.computed && p.type === 'Identifier') return p.name as string;
  if (n.computed && p.type === 'Literal' && typeof p.value === 'string') return p.value;
  return undefined;
}

/**
 * Every construct of `program` that would make a definition nondeterministic or reach outside the
 * API: forbidden globals, `Math.random`, run-time evaluation, async code, imports other than
 * `featurizer`, and module-level `let`/`var` (state shared by every instance of the feature).
 * This is a determinism check for honest code, not a sandbox: the trust gate decides whether
 * someone else's code runs at all (docs/custom-features.md#trust).
 */
export function checkModule(program: Program, lineOf: (pos: number) => number): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const report = (node: Node, message: string): void => {
    const line = lineOf(node.start);
    problems.push({ line, pos: node.start, message: `line ${line}: ${message}` });
  };
  fullAncestor(program, (node, _st, ancestors) => {
    const n = node as AnyNode;
    switch (n.type) {
      case 'Identifier': {
        const name = n.name as string;
        if (Object.hasOwn(FORBIDDEN_GLOBALS, name)) report(n, `${name} ${FORBIDDEN_GLOBALS[name]}`);
        break;
      }
      case 'MemberExpression': {
        const prop = staticProperty(n);
        const obj = n.object as AnyNode;
        if (prop === 'random' && obj.type === 'Identifier' && obj.name === 'Math')
          report(n, 'Math.random is randomness: the same input must give the same output');
        else if (prop !== undefined && Object.hasOwn(FORBIDDEN_PROPERTIES, prop))
          report(n, `.${prop} ${FORBIDDEN_PROPERTIES[prop]}`);
        break;
      }
      case 'ImportExpression':
        report(n, `import() ${ASYNC}; only a static import of '${USER_API_MODULE}' is allowed`);
        break;
      case 'MetaProperty':
        if ((n.meta as AnyNode).name === 'import') report(n, `import.meta ${PLATFORM}`);
        break;
      case 'AwaitExpression':
        report(n, `await ${ASYNC}`);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (n.async) report(n, `an async function ${ASYNC}`);
        break;
      case 'ForOfStatement':
        if (n.await) report(n, `for await ${ASYNC}`);
        break;
      case 'ImportDeclaration': {
        const from = (n.source as AnyNode).value;
        if (from !== USER_API_MODULE)
          report(n, `import from '${String(from)}': only '${USER_API_MODULE}' may be imported`);
        break;
      }
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (n.source) report(n, `re-export from a module: only '${USER_API_MODULE}' is available`);
        break;
      case 'VariableDeclaration':
        if (isModuleLevel(ancestors) && n.kind !== 'const') {
          report(
            n,
            `module-level ${String(n.kind)} would be shared by every instance of the feature: keep state in init()`,
          );
        }
        break;
    }
  });
  return problems.sort((a, b) => a.pos - b.pos);
}

/** A declaration directly in the module body (or under `export`). */
function isModuleLevel(ancestors: readonly Node[]): boolean {
  if (ancestors.length === 2) return true;
  return ancestors.length === 3 && ancestors[1]!.type === 'ExportNamedDeclaration';
}
