import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import {
  formatBytes,
  MAX_IMPORT_BYTES,
  MAX_SHARE_LINK_CHARS,
  tooLargeMessage,
} from '../../session/importLimits.ts';

/** URL hash prefix of a shared pipeline: `#p=<base64url(deflate-raw(JSON))>`. */
export const SHARE_PREFIX = '#p=';

/** What a URL hash holds: no share link, the pipeline text of one, or why it cannot be read. */
export type SharedText =
  | undefined
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

/**
 * Compress a pipeline into a URL hash (`#p=…`). Throws when the link would be over
 * {@link MAX_SHARE_LINK_CHARS} (nobody could open it).
 */
export async function encodeShareHash(doc: PipelineDoc): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  const packed = await pipeThrough(bytes, new CompressionStream('deflate-raw'));
  const hash = SHARE_PREFIX + toBase64Url(packed);
  if (hash.length - SHARE_PREFIX.length > MAX_SHARE_LINK_CHARS)
    throw new Error(
      `the pipeline is too large for a share link (${formatBytes(hash.length)}; the link length cap is ${formatBytes(MAX_SHARE_LINK_CHARS)}): export it as JSON instead`,
    );
  return hash;
}

/**
 * The JSON text inside a share hash, or why it cannot be read; undefined when the hash is not a
 * share link. The link's length is checked before decoding and the inflated size while inflating
 * (a small link can inflate to gigabytes): past {@link MAX_IMPORT_BYTES} inflating stops. The
 * text still has to go through import validation: a link is untrusted input like any file.
 */
export async function decodeShareHash(hash: string): Promise<SharedText> {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  const payload = hash.slice(SHARE_PREFIX.length);
  if (payload.length > MAX_SHARE_LINK_CHARS)
    return refuse(
      `the share link is over the link length cap of ${formatBytes(MAX_SHARE_LINK_CHARS)} (it is ${formatBytes(payload.length)}); nothing was imported`,
    );
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(payload);
  } catch {
    return refuse('the share link is damaged: its data is not base64url (was it cut or edited?)');
  }
  const inflated = await inflateCapped(bytes, MAX_IMPORT_BYTES);
  if (inflated === 'too-large')
    return refuse(tooLargeMessage('the share link', 'it inflates to more than that'));
  if (inflated === 'corrupt')
    return refuse('the share link is damaged: its data does not inflate (was it cut or edited?)');
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(inflated) };
  } catch {
    return refuse('the share link is damaged: its data is not UTF-8 text');
  }
}

function refuse(message: string): SharedText {
  return { ok: false, message };
}

/**
 * Inflate `bytes` (deflate-raw) as a stream, counting output; past `maxBytes` the stream is
 * cancelled, so a decompression bomb costs at most about `maxBytes` of work and memory.
 */
export async function inflateCapped(
  bytes: Uint8Array,
  maxBytes: number,
  source: ReadableStream<Uint8Array<ArrayBuffer>> = new Blob([bytes as BlobPart]).stream(),
): Promise<Uint8Array | 'too-large' | 'corrupt'> {
  const reader = source.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    return 'corrupt';
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
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
