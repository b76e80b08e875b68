/**
 * Strict base64 and bounded raw-DEFLATE for binding messages (ATK-51): sizes are capped before
 * decoding, base64 must be canonical (MIME line breaks allowed, nothing else), and inflating
 * stops at the EU reference node's 131072 bytes (zlib maxOutputLength), so a compression bomb
 * never gets further than that in memory.
 */
import { inflateRawSync } from 'node:zlib';
import { MAX_MESSAGE_BYTES } from '../constants.ts';
import { refuseRequest } from '../errors.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const LINE_BREAKS = /\r?\n/g;

/** Longest base64 text (line breaks removed) for `maxBytes` decoded bytes. */
export function base64Length(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4;
}

/** Canonical base64 of at most `maxBytes` bytes; CR/LF line breaks tolerated (MIME wrapping). */
export function strictBase64(text: string, what: string, maxBytes = MAX_MESSAGE_BYTES): Buffer {
  if (text.length > base64Length(maxBytes) * 2) refuseRequest('SIZE', `${what} too long`);
  const compact = text.replace(LINE_BREAKS, '');
  if (compact.length > base64Length(maxBytes)) refuseRequest('SIZE', `${what} larger than ${maxBytes} bytes`);
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    refuseRequest('BINDING', `${what} is not strict base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) refuseRequest('BINDING', `${what} is not canonical base64`);
  if (bytes.length > maxBytes) refuseRequest('SIZE', `${what} larger than ${maxBytes} bytes`);
  return bytes;
}

/** Raw DEFLATE (RFC 1951) with the output capped; over the cap: SIZE, not a DEFLATE stream: BINDING. */
export function boundedInflate(data: Buffer, maxBytes = MAX_MESSAGE_BYTES): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      return refuseRequest('SIZE', `inflated message larger than ${maxBytes} bytes`);
    }
    return refuseRequest('BINDING', 'not a raw DEFLATE stream');
  }
}

/**
 * The EU reference node's GET form sends the XML base64-encoded without DEFLATE; other senders
 * of the GET variant deflate it. XML starts with '<' (after an optional BOM or whitespace). A
 * message of this size deflates to one final block, whose first bit is 1 ('<' is 0x3C, bit 0 = 0),
 * so the two never meet in practice; a stream that did would fail to parse and be refused,
 * never misread.
 */
export function looksLikeXml(bytes: Buffer): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}
