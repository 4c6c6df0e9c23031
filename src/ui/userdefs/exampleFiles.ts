// The example definitions' text (examples/features/*.ts, not their tests), bundled as strings in
// a chunk of their own that loads when the palette's Examples are opened.
const files = import.meta.glob('../../../examples/features/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** File name without `.ts` → module text. */
export const EXAMPLES: ReadonlyMap<string, string> = new Map(
  Object.entries(files)
    .filter(([path]) => !path.endsWith('.test.ts'))
    .map(([path, text]): [string, string] => [path.replace(/^.*\//, '').replace(/\.ts$/, ''), text])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
