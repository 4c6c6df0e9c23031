import { deflateRawSync } from 'node:zlib';

/** The studio URL opening `doc` as a share link (`#p=` + base64url(deflate-raw(JSON))). */
export function shareUrl(doc: unknown, query = ''): string {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(doc)));
  return `/${query}#p=${packed.toString('base64url')}`;
}
