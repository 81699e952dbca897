// A run panel's page outside VS Code, in Chromium: the real bundle (dist/webviews/<panel>.js and
// .css) served from loopback under the same strict Content-Security-Policy the extension sets,
// a stand-in `acquireVsCodeApi` that records what the page posts and keeps its state, and the
// theme's CSS variables as VS Code would set them (dark, light, high contrast). Used by the page
// tests, the webview benchmark and for screenshots in each theme.

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { panelHtml } from '../../client/src/panels/panelHtml';

export type PanelName = 'metrics' | 'masks';
export type ThemeName = 'dark' | 'light' | 'high-contrast';

/** VS Code's default colours for the variables the panels read (Dark+, Light+, Dark High Contrast). */
const THEMES: Record<ThemeName, { bodyClass: string; colors: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    colors: {
      foreground: '#cccccc', 'editor-background': '#1e1e1e', 'editor-foreground': '#d4d4d4', descriptionForeground: '#ccccccb3',
      focusBorder: '#007fd4', 'panel-border': '#80808059', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
      'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
      'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb',
      'button-secondaryBackground': '#3a3d41', 'button-secondaryForeground': '#ffffff', 'dropdown-background': '#3c3c3c',
      'dropdown-foreground': '#f0f0f0', 'dropdown-border': '#3c3c3c', 'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff',
      'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700', 'textBlockQuote-background': '#7f7f7f1a',
      'editorHoverWidget-background': '#252526', 'editorHoverWidget-foreground': '#cccccc', 'editorHoverWidget-border': '#454545',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    colors: {
      foreground: '#616161', 'editor-background': '#ffffff', 'editor-foreground': '#000000', descriptionForeground: '#717171',
      focusBorder: '#0090f1', 'panel-border': '#80808059', 'charts-blue': '#1a85ff', 'charts-orange': '#d18616',
      'charts-green': '#388a34', 'charts-purple': '#652d90', 'charts-red': '#e51400', 'charts-yellow': '#bf8803',
      'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3',
      'button-secondaryBackground': '#5f6a79', 'button-secondaryForeground': '#ffffff', 'dropdown-background': '#ffffff',
      'dropdown-foreground': '#616161', 'dropdown-border': '#cecece', 'badge-background': '#c4c4c4', 'badge-foreground': '#333333',
      'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803', 'textBlockQuote-background': '#7f7f7f1a',
      'editorHoverWidget-background': '#f3f3f3', 'editorHoverWidget-foreground': '#616161', 'editorHoverWidget-border': '#c8c8c8',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    colors: {
      foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffffb3',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', 'panel-border': '#6fc3df', 'charts-blue': '#3794ff',
      'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c',
      'charts-yellow': '#cca700', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'dropdown-background': '#000000',
      'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df', 'badge-background': '#000000', 'badge-foreground': '#ffffff',
      'editorError-foreground': '#f48771', 'editorWarning-foreground': '#ffd370', 'textBlockQuote-background': '#000000',
      'editorHoverWidget-background': '#0c141f', 'editorHoverWidget-foreground': '#ffffff', 'editorHoverWidget-border': '#6fc3df',
    },
  },
};

/** Runs in the page before the bundle: the stand-in for VS Code's webview API and theme. */
function stubScript(theme: ThemeName, state: unknown): string {
  const { bodyClass, colors } = THEMES[theme];
  const variables = Object.entries(colors).map(([name, value]) => [`--vscode-${name}`, value]);
  variables.push(['--vscode-font-family', 'system-ui, "Segoe UI", Ubuntu, sans-serif'], ['--vscode-font-size', '13px']);
  return `
window.__posted = [];
window.__state = ${JSON.stringify(state ?? null)};
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
for (const [name, value] of ${JSON.stringify(variables)}) document.documentElement.style.setProperty(name, value);
document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(bodyClass)}));
`;
}

export interface PanelPageServer {
  url(panel: PanelName, options?: { theme?: ThemeName; state?: unknown; profile?: boolean }): string;
  close(): Promise<void>;
}

/** Serves the bundles in `<root>/dist/webviews` and one page per panel, on a free loopback port. */
export async function servePanelPages(root: string): Promise<PanelPageServer> {
  const bundleDir = path.join(root, 'dist', 'webviews');
  const pages = new Map<string, string>();
  let counter = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const page = pages.get(url.pathname);
    if (page) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
      return;
    }
    const name = path.basename(url.pathname);
    if (/^(metrics|masks)\.(js|css)$/.test(name)) {
      try {
        const body = readFileSync(path.join(bundleDir, name));
        response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/css' });
        response.end(body);
        return;
      } catch {
        // Falls through to 404.
      }
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url(panel, options = {}) {
      const nonce = `n${(counter += 1)}x${Math.random().toString(36).slice(2)}`;
      const html = panelHtml({
        title: `${panel} panel`,
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/${panel}.js`,
        styleUri: `${origin}/${panel}.css`,
        profile: options.profile,
      }).replace('<script nonce=', `<script nonce="${nonce}">${stubScript(options.theme ?? 'dark', options.state)}</script>\n<script nonce=`);
      const pathname = `/page-${counter}.html`;
      pages.set(pathname, html);
      return `${origin}${pathname}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
