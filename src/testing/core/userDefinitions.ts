/** User definition sources for tests (imported by *.test.ts and bench only). */
import { readFileSync } from 'node:fs';

/** The text of `examples/features/<name>.ts`. */
export function exampleSource(name: string): string {
  return readFileSync(new URL(`../../../examples/features/${name}.ts`, import.meta.url), 'utf8');
}

/**
 * A minimal scalar definition (`test.<name>`, one scalar input) whose `onEvent` body is `body`
 * (line 9 of the module is the body's first line); `top` goes on line 2 (module level).
 */
export function scalarDefinition(name: string, body: string, top = ''): string {
  return [
    `import { defineFeature } from 'featurizer';`,
    top,
    `export default defineFeature({`,
    `  name: 'test.${name}', title: '${name}', description: 'test definition', params: {},`,
    `  inputs: [{ name: 'value', accepts: ['scalar'], default: 'price.mid_price_fd' }],`,
    `  output: { kind: 'scalar', schema: { out: 'number' } },`,
    `  init: () => ({ n: 0 }),`,
    `  onEvent(state, input) {`,
    body,
    `  },`,
    `});`,
  ].join('\n');
}

/** Agreement with an exact reference: exactly 0 when it is 0, else within `rel` relative. */
export function expectClose(got: number, want: number, rel = 1e-9): void {
  if (want === 0) {
    if (got !== 0) throw new Error(`expected exactly 0, got ${got}`);
    return;
  }
  const err = Math.abs(got - want) / Math.abs(want);
  if (!(err <= rel)) throw new Error(`got ${got}, exact ${want}: relative error ${err}`);
}
