import type { FastifyReply } from 'fastify';

/**
 * How the API hands over a file: as a download (`Content-Disposition: attachment`), never
 * rendered by the browser on the API's origin, except the raster images the SPA shows as
 * thumbnails (JPEG, PNG, WebP — never SVG, which may carry scripts). Every file also goes
 * with `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none';
 * sandbox`, so that even a file opened inline can run nothing and load nothing.
 */

/** The only types sent inline: raster images, shown as thumbnails. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

export const FILE_CSP = "default-src 'none'; sandbox";

/** The file name in plain ASCII, for the `filename` parameter of old clients: accents dropped, the rest replaced by `_`. */
export function asciiFileName(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\w.() -]+/g, '_')
    .replace(/^[ .]+|[ .]+$/g, '')
    .slice(0, 150);
  return ascii || 'fichier';
}

/** RFC 5987 / 8187 ext-value: UTF-8, every byte outside attr-char percent-encoded. */
function extValue(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * RFC 6266 Content-Disposition: `attachment` (or `inline`), an ASCII `filename` for old
 * clients and the exact name as `filename*` (which browsers prefer).
 */
export function contentDisposition(disposition: 'attachment' | 'inline', fileName: string): string {
  const name = fileName.replace(/[\p{Cc}/\\]+/gu, '_').trim() || 'fichier';
  return `${disposition}; filename="${asciiFileName(name)}"; filename*=${extValue(name)}`;
}

/**
 * Sets the headers of a file answer: its type, its disposition (inline only for the raster
 * images of INLINE_IMAGE_TYPES, a download otherwise), nosniff and the sandboxing CSP.
 * A stored type outside `known` is sent as application/octet-stream.
 */
export function fileHeaders(
  reply: FastifyReply,
  file: { mediaType: string; fileName: string; known?: ReadonlySet<string> },
): FastifyReply {
  const inline = INLINE_IMAGE_TYPES.has(file.mediaType);
  const type = inline || file.known === undefined || file.known.has(file.mediaType) ? file.mediaType : 'application/octet-stream';
  return reply
    .type(type)
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CSP);
}
