import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readChartDefaults } from '../../../client/src/panels/chartSettings';
import { readPanelArguments } from '../../../client/src/panels/panelArguments';
import { contentSecurityPolicy, newNonce, panelHtml } from '../../../client/src/panels/panelHtml';
import { fileBytes, safeFileName } from '../../../client/src/panels/saveRequest';

test('the panel page allows only its own nonce-tagged script, its stylesheet and images from the extension', () => {
  const csp = contentSecurityPolicy('https://ext.vscode-cdn.net', 'abc123');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"], 'no host, no unsafe-inline, no eval');
  assert.deepEqual(directives.get('style-src'), ['https://ext.vscode-cdn.net', "'nonce-abc123'"]);
  assert.deepEqual(directives.get('img-src'), ['https://ext.vscode-cdn.net', 'data:']);
  assert.ok(!csp.includes('unsafe'), csp);
  assert.ok(!directives.has('connect-src'), 'the page fetches nothing');
});

test('the page carries the policy, tags its one script and stylesheet with the nonce, and escapes what it embeds', () => {
  const html = panelHtml({
    title: 'Metrics · <b>run</b> & co',
    cspSource: 'https://ext.example',
    nonce: 'n0nce',
    scriptUri: 'https://ext.example/dist/webviews/metrics.js?a=1&b="2"',
    styleUri: 'https://ext.example/dist/webviews/metrics.css',
  });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-n0nce';/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /nonce="n0nce"/);
  assert.match(scripts[0], /src="https:\/\/ext\.example\/dist\/webviews\/metrics\.js\?a=1&amp;b=&quot;2&quot;"/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/ext\.example\/dist\/webviews\/metrics\.css" nonce="n0nce">/);
  assert.match(html, /<title>Metrics · &lt;b&gt;run&lt;\/b&gt; &amp; co<\/title>/);
  assert.doesNotMatch(html, /\son\w+=/, 'no inline handlers');
  assert.doesNotMatch(html, /data-profile/);
  assert.match(panelHtml({ title: 't', cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 'c', profile: true }), /<body data-profile="on">/);
});

test('every page load gets a fresh 128-bit nonce', () => {
  const nonces = new Set(Array.from({ length: 50 }, newNonce));
  assert.equal(nonces.size, 50);
  for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('panel command arguments: a folder, a list, tree items and a multi-selection; nothing asks', () => {
  assert.deepEqual(readPanelArguments(['/runs/a']), { runDirs: ['/runs/a'] });
  assert.deepEqual(readPanelArguments([['/runs/a', '/runs/b', '/runs/a']]), { runDirs: ['/runs/a', '/runs/b'] });
  assert.deepEqual(readPanelArguments([{ kind: 'run', runDir: '/runs/a' }]), { runDirs: ['/runs/a'] });
  assert.deepEqual(readPanelArguments([{ run: { runDir: '/runs/c' } }]), { runDirs: ['/runs/c'] });
  assert.deepEqual(readPanelArguments([{ resourceUri: { scheme: 'file', fsPath: '/runs/d' } }]), { runDirs: ['/runs/d'] });
  // A tree's context menu: the clicked item, then the whole selection.
  assert.deepEqual(readPanelArguments([{ runDir: '/runs/a' }, [{ runDir: '/runs/a' }, { runDir: '/runs/b' }]]), { runDirs: ['/runs/a', '/runs/b'] });
  assert.deepEqual(readPanelArguments([]), { ask: true });
  assert.deepEqual(readPanelArguments([[]]), { ask: true });
  assert.match((readPanelArguments([42]) as { error: string }).error, /expected a run folder.*got 42/);
  assert.match((readPanelArguments([['/a', { nope: 1 }]]) as { error: string }).error, /item 1 of the list is not a run folder/);
  assert.match((readPanelArguments([{ resourceUri: { scheme: 'https', fsPath: '/x' } }]) as { error: string }).error, /expected a run folder/);
});

test('a save request writes text as UTF-8 and a chart only when it really is a PNG', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  assert.deepEqual(fileBytes({ kind: 'save', format: 'png', suggestedName: 'loss.png', content: `data:image/png;base64,${png.toString('base64')}` }), png);
  assert.equal(fileBytes({ kind: 'save', format: 'png', suggestedName: 'x.png', content: 'data:image/jpeg;base64,AAAA' }), 'the chart image is not a PNG data URL');
  assert.equal(fileBytes({ kind: 'save', format: 'png', suggestedName: 'x.png', content: `data:image/png;base64,${Buffer.from('#!/bin/sh').toString('base64')}` }), 'the chart image is not a PNG');
  assert.equal(Buffer.from(fileBytes({ kind: 'save', format: 'csv', suggestedName: 'r.csv', content: 'run,step\nα,1\n' }) as Uint8Array).toString('utf8'), 'run,step\nα,1\n');
  assert.equal(safeFileName('../../etc/passwd'), '__.._etc_passwd', 'no separators, no leading dot');
  assert.equal(safeFileName('a:b*c?.csv'), 'a_b_c_.csv');
  assert.equal(safeFileName(''), 'export');
});

test('chart defaults come from the settings, with unknown values replaced by the defaults', () => {
  const settings = (values: Record<string, unknown>) => (key: string) => values[key];
  assert.deepEqual(readChartDefaults(settings({ 'charts.smoothing': 0.9, 'charts.xAxis': 'epoch', 'charts.logScale': true })), { smoothing: 0.9, xAxis: 'epoch', logScaleY: true });
  assert.deepEqual(readChartDefaults(settings({ 'charts.xAxis': 'tokens', 'charts.logScale': 'yes' })), { smoothing: 0.6, xAxis: 'step', logScaleY: false });
});
