/**
 * A document file's bytes as JSON, read the same way by the CLI and the page (a dropped or uploaded
 * file): UTF-8 with or without a byte-order mark (Windows editors write one), and UTF-16 little- or
 * big-endian, with a BOM or recognised by the zero bytes that ASCII JSON has in UTF-16. What goes wrong
 * is said in one line: JSON.parse quotes the text around the fault, which may hold line breaks or other
 * control characters, so messages pass through `oneLine`.
 */

/** A file that is not a JSON text; the message is one line and names the file. */
export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}

const utf16le = (bytes: Uint8Array) => new TextDecoder('utf-16le').decode(bytes);

/** The text of a file: the encoding from its byte-order mark or its first two bytes, the mark removed. */
export function decodeText(bytes: Uint8Array): string {
  const [b0, b1] = bytes;
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3));
  const le = (b0 === 0xff && b1 === 0xfe) || (bytes.length >= 2 && b0 !== 0 && b1 === 0);
  const be = (b0 === 0xfe && b1 === 0xff) || (bytes.length >= 2 && b0 === 0 && b1 !== 0);
  if (le || be) {
    const body = bytes.subarray(b0 === 0xff || b0 === 0xfe ? 2 : 0);
    if (le) return utf16le(body);
    // big-endian: swap each pair and read it as little-endian (every engine decodes UTF-16LE)
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1];
      swapped[i + 1] = body[i];
    }
    if (body.length % 2) swapped[body.length - 1] = body[body.length - 1];
    return utf16le(swapped);
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/**
 * `text` on one line of at most `max` characters: line breaks, other control characters and invisible
 * format characters (a BOM, bidi overrides, zero-width spaces) written as escapes (\n, \u0000, \ufeff).
 */
export function oneLine(text: string, max = 600): string {
  const escaped = text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (escaped.length <= max) return escaped;
  // cut on a whole code point and say that it was cut
  let end = max - 1;
  const code = escaped.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${escaped.slice(0, end)}…`;
}

/** JSON.parse of a file's bytes or text; `name` (the file name) opens the message of a JsonFileError. */
export function parseJsonFile(content: Uint8Array | string, name: string): unknown {
  let text = typeof content === 'string' ? content : decodeText(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    const what = text.trim() === '' ? 'is empty, not a JSON document' : `is not valid JSON: ${(err as Error).message}`;
    throw new JsonFileError(oneLine(`${name} ${what}`));
  }
}
