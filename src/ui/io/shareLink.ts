import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';

/** URL hash prefix of a shared pipeline: `#p=<base64url(deflate-raw(JSON))>`. */
export const SHARE_PREFIX = '#p=';

/** Compress a pipeline into a URL hash (`#p=…`). */
export async function encodeShareHash(doc: PipelineDoc): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  const packed = await pipeThrough(bytes, new CompressionStream('deflate-raw'));
  return SHARE_PREFIX + toBase64Url(packed);
}

/**
 * The JSON text inside a share hash, or undefined when the hash is not one. The text still has to
 * go through import validation: a link is untrusted input like any file.
 */
export async function decodeShareHash(hash: string): Promise<string | undefined> {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  try {
    const bytes = fromBase64Url(hash.slice(SHARE_PREFIX.length));
    const raw = await pipeThrough(bytes, new DecompressionStream('deflate-raw'));
    return new TextDecoder().decode(raw);
  } catch {
    return undefined;
  }
}

async function pipeThrough(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
