import type { Node, Program } from 'acorn';
import { full } from 'acorn-walk';

/** Name of the loop-budget function the rewritten code calls (a parameter of the module body). */
export const TICK = '__fz_tick';
/** Names the rewritten module body receives the API and its exports object under. */
export const API_PARAM = '__fz_api';
export const EXPORTS_PARAM = '__fz_exports';

type AnyNode = Node & Record<string, unknown>;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `text` padded with the newlines of `code[start, end)`, so every later line keeps its number. */
function keepLines(code: string, start: number, end: number, text: string): string {
  const newlines = code.slice(start, end).split('\n').length - 1;
  return text + '\n'.repeat(newlines);
}

/**
 * Rewrite a checked ES module (see checkModule) into a function body:
 * - `import { a, b as c } from 'featurizer'` → `const { a, b: c } = __fz_api;`;
 * - `export default X` → `__fz_exports.default = X`; `export const …` → `const …`;
 * - every loop body, `catch` and `finally` block starts with `__fz_tick();`, the deterministic
 *   loop budget: the same definition stops at the same iteration live, in replay and in batch. A
 *   catch or finally that swallowed the budget error would loop on, so those tick too: once the
 *   budget is spent every tick throws again, and the error escapes.
 * Line numbers are unchanged, so run-time errors and problems name the user's lines.
 */
export function rewriteModule(code: string, program: Program): string {
  const edits: Edit[] = [];
  const insert = (at: number, text: string): void => {
    edits.push({ start: at, end: at, text });
  };
  const tickBody = (body: AnyNode): void => {
    if (body.type === 'BlockStatement') insert(body.start + 1, `${TICK}();`);
    else {
      insert(body.start, `{${TICK}();`);
      insert(body.end, '}');
    }
  };
  for (const stmt of program.body as AnyNode[]) {
    if (stmt.type === 'ImportDeclaration') {
      const parts: string[] = [];
      let whole: string | undefined;
      for (const s of stmt.specifiers as AnyNode[]) {
        const local = (s.local as AnyNode).name as string;
        if (s.type === 'ImportSpecifier') {
          const imported = s.imported as AnyNode;
          const name = (imported.name ?? imported.value) as string;
          parts.push(name === local ? local : `${JSON.stringify(name)}: ${local}`);
        } else whole = local; // `import * as F` or a default import: the whole API
      }
      const decls = [
        ...(parts.length > 0 ? [`const { ${parts.join(', ')} } = ${API_PARAM};`] : []),
        ...(whole !== undefined ? [`const ${whole} = ${API_PARAM};`] : []),
      ];
      edits.push({
        start: stmt.start,
        end: stmt.end,
        text: keepLines(code, stmt.start, stmt.end, decls.join(' ')),
      });
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt.declaration as AnyNode;
      const named =
        (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id;
      const prefix = named ? '' : `${EXPORTS_PARAM}.default = `;
      edits.push({
        start: stmt.start,
        end: decl.start,
        text: keepLines(code, stmt.start, decl.start, prefix),
      });
      if (named) {
        const id = (decl.id as AnyNode).name as string;
        insert(stmt.end, ` ${EXPORTS_PARAM}.default = ${id};`);
      }
    } else if (stmt.type === 'ExportNamedDeclaration') {
      const decl = stmt.declaration as AnyNode | null;
      const end = decl ? decl.start : stmt.end;
      edits.push({ start: stmt.start, end, text: keepLines(code, stmt.start, end, '') });
    }
  }
  full(program, (node) => {
    const n = node as AnyNode;
    switch (n.type) {
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        tickBody(n.body as AnyNode);
        break;
      case 'CatchClause':
        tickBody(n.body as AnyNode);
        break;
      case 'TryStatement':
        if (n.finalizer) tickBody(n.finalizer as AnyNode);
        break;
    }
  });
  // Apply from the end so earlier offsets stay valid; at one offset, insertions keep their order.
  const order = edits.map((e, i) => ({ e, i }));
  order.sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  let out = code;
  for (const { e } of order) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
