// Checks what a webview asks the extension to save: text is written as UTF-8; a chart must be a
// PNG (data URL with the PNG signature), so a page cannot make the extension write arbitrary
// binary data under an image's name. Free of `vscode`.

import type { SaveFileRequest } from '../../../schemas/src/webviewMessages';

const PNG_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The bytes to write for a save request, or why they cannot be written. */
export function fileBytes(request: SaveFileRequest): Uint8Array | string {
  if (request.format !== 'png') return Buffer.from(request.content, 'utf8');
  if (!request.content.startsWith(PNG_PREFIX)) return 'the chart image is not a PNG data URL';
  const bytes = Buffer.from(request.content.slice(PNG_PREFIX.length), 'base64');
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return 'the chart image is not a PNG';
  return bytes;
}

/** A file name without path separators or characters Windows refuses. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? 'export' : cleaned;
}
