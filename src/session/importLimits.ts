/**
 * Caps on what an import or a share link may hold (docs/studio.md, "Saving and sharing"). A
 * hand-built pipeline is a few KiB and a few dozen nodes; these leave two orders of magnitude of
 * room and keep anything accepted light enough to check in a worker and to draw smoothly.
 */

/** Characters of a share link's payload (after `#p=`), checked before anything is decoded. */
export const MAX_SHARE_LINK_CHARS = 512 * 1024;
/** Bytes of import text: a file, pasted text, or a share link once inflated (checked while inflating). */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Nodes in one imported pipeline (checked before validation). */
export const MAX_IMPORT_NODES = 500;
/** Edges in one imported pipeline. */
export const MAX_IMPORT_EDGES = 2000;

/** `1048576` → `1 MiB`, `1468006` → `1.4 MiB`, `524288` → `512 KiB`: sizes as people read them. */
export function formatBytes(bytes: number): string {
  const unit = (n: number, name: string): string =>
    `${Number.isInteger(n) ? n : n.toFixed(1).replace(/\.0$/, '')} ${name}`;
  if (bytes >= 1024 * 1024) return unit(bytes / (1024 * 1024), 'MiB');
  if (bytes >= 1024) return unit(bytes / 1024, 'KiB');
  return `${bytes} bytes`;
}

/** The message for text over {@link MAX_IMPORT_BYTES}: `what` ("the file x.json"), `detail` (its size). */
export function tooLargeMessage(what: string, detail: string): string {
  return `${what} is over the import size cap of ${formatBytes(MAX_IMPORT_BYTES)} (${detail}); nothing was imported`;
}

/** The message for a pipeline over the node or edge cap, or undefined when within both. */
export function countMessage(nodes: number, edges: number): string | undefined {
  if (nodes > MAX_IMPORT_NODES)
    return `the pipeline has ${nodes} nodes; the cap is ${MAX_IMPORT_NODES} nodes`;
  if (edges > MAX_IMPORT_EDGES)
    return `the pipeline has ${edges} edges; the cap is ${MAX_IMPORT_EDGES} edges`;
  return undefined;
}

/**
 * UTF-8 byte length of `text`, counting no further than just past `stopAbove` (a pasted
 * gigabyte is refused without walking all of it). A surrogate pair counts 2 + 2 = 4 bytes.
 */
export function utf8Length(text: string, stopAbove = Infinity): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= stopAbove; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return n;
}
