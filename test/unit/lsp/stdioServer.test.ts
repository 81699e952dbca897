// Drives the language server over stdio exactly as an external editor would: a child process,
// JSON-RPC with Content-Length framing, initialize → didOpen → diagnostics → requests → shutdown.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { modelRefIn } from '../../support/quickstart';
import { examplesDir, repoRoot } from '../../support/repoRoot';

interface PublishedDiagnostics {
  uri: string;
  diagnostics: { message: string; severity: number; range: { start: { line: number; character: number } } }[];
}

describe('language server over stdio', () => {
  let child: ChildProcess;
  let rpc: MessageConnection;
  const published: PublishedDiagnostics[] = [];
  const waiters: ((p: PublishedDiagnostics) => void)[] = [];
  const quickstart = path.join(examplesDir, 'quickstart.masklab');
  const uri = pathToFileURL(quickstart).href;
  const text = readFileSync(quickstart, 'utf8');

  const nextDiagnostics = (forUri: string, timeoutMs = 15000) =>
    new Promise<PublishedDiagnostics>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${forUri} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((p) => {
        if (p.uri !== forUri) return;
        clearTimeout(timer);
        resolve(p);
      });
    });

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli/main.ts'), 'language-server', '--stdio'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    rpc.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      published.push(p);
      for (const w of [...waiters]) w(p);
    });
    rpc.onRequest(() => null); // client/registerCapability and refresh requests
    rpc.listen();
    const init = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(examplesDir).href,
      capabilities: {},
    });
    assert.ok(init.capabilities.completionProvider);
    assert.ok(init.capabilities.semanticTokensProvider);
    await rpc.sendNotification('initialized', {});
  });

  after(async () => {
    if (rpc) {
      await rpc.sendRequest('shutdown').catch(() => undefined);
      await rpc.sendNotification('exit').catch(() => undefined);
      rpc.dispose();
    }
    child?.kill();
  });

  test('opening the quickstart publishes no problems', async () => {
    const diagnostics = nextDiagnostics(uri);
    await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'masklab', version: 1, text } });
    assert.deepEqual((await diagnostics).diagnostics, []);
  });

  test('an edit with a typo publishes a did-you-mean error at the right place', async () => {
    const broken = text.replace(/^(\s*)lr( +)/m, '$1lrr$2');
    assert.notEqual(broken, text);
    const diagnostics = nextDiagnostics(uri);
    await rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    const published = await diagnostics;
    const typo = published.diagnostics.find((d) => d.message.includes("'lrr'"));
    assert.ok(typo, JSON.stringify(published.diagnostics));
    assert.match(typo.message, /did you mean 'lr'\?/);
    const line = broken.split('\n').findIndex((l) => l.includes('lrr'));
    assert.deepEqual(typo.range.start, { line, character: broken.split('\n')[line].indexOf('lrr') });
  });

  test('hover, completion, symbols, formatting and the resolved-config request answer', async () => {
    const fixed = nextDiagnostics(uri);
    await rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    assert.deepEqual((await fixed).diagnostics, []);
    const lines = text.split('\n');
    const lrLine = lines.findIndex((l) => l.trim().startsWith('lr '));
    const hover = await rpc.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: lrLine, character: lines[lrLine].indexOf('lr') + 1 },
    });
    assert.ok(hover && /learning rate/i.test(hover.contents.value), JSON.stringify(hover));

    const symbols = await rpc.sendRequest<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['quickstart']);

    const edits = await rpc.sendRequest<unknown[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(Array.isArray(edits));

    const resolved = await rpc.sendRequest<{ json?: string; error?: string }>('masklab/resolvedConfig', { uri, experiment: 'quickstart' });
    assert.ok(resolved.json, resolved.error);
    assert.equal(JSON.parse(resolved.json).method.kind, 'mask');
  });

  test('the server survives junk text and keeps answering', async () => {
    const junkUri = pathToFileURL(path.join(examplesDir, 'junk.masklab')).href;
    const diagnostics = nextDiagnostics(junkUri);
    await rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri: junkUri, languageId: 'masklab', version: 1, text: '\u0000{{{ "unterminated \uD800 experiment experiment { /*' },
    });
    assert.ok((await diagnostics).diagnostics.length > 0);
    const tokens = await rpc.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: junkUri } });
    assert.ok(Array.isArray(tokens.data));
    assert.equal(child.exitCode, null, 'server still running');
  });

  test('diagnostics refresh when the referenced checkpoint changes on disk', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masklab-lsp-watch-'));
    try {
      cpSync(path.join(examplesDir, 'models'), path.join(dir, 'models'), { recursive: true });
      cpSync(path.join(examplesDir, 'data'), path.join(dir, 'data'), { recursive: true });
      const fileUri = pathToFileURL(path.join(dir, 'watch.masklab')).href;
      const clean = nextDiagnostics(fileUri);
      await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'masklab', version: 1, text } });
      assert.deepEqual((await clean).diagnostics, []);

      const broken = nextDiagnostics(fileUri);
      writeFileSync(path.join(dir, modelRefIn(text), 'config.json'), '{ "hidden_size": ');
      const after = await broken;
      const modelLine = text.split('\n').findIndex((l) => l.trim().startsWith('model '));
      const problem = after.diagnostics.find((d) => d.range.start.line === modelLine);
      assert.ok(problem, JSON.stringify(after.diagnostics));
      assert.match(problem.message, /config\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
