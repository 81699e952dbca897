// The HTML page of a run panel: a strict Content-Security-Policy (nothing but the extension's own
// script and stylesheet, the script only with this page's nonce, no inline code, no network),
// one root element, the bundle. Free of `vscode` so the policy is unit-tested.

import { randomBytes } from 'node:crypto';

export interface PanelPage {
  title: string;
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Marks the page for benchmarks (one performance measure per handled message). */
  profile?: boolean;
}

/** 128 random bits, base64: a fresh one for every page load. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(page: PanelPage): string {
  const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${attr(page.nonce)}">
<title>${text(page.title)}</title>
</head>
<body${page.profile ? ' data-profile="on"' : ''}>
<main id="root"></main>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
}
