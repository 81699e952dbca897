// The language server: thin wiring from LSP requests to the pure features. Started by the
// extension over IPC (`--node-ipc`) or by other editors over stdio (`masklab language-server --stdio`).
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { FileSystemModelKnowledge } from '../checkpoint/modelKnowledge';
import {
  codeActions,
  codeLenses,
  completion,
  definition,
  documentSymbols,
  foldingRanges,
  formatting,
  hover,
  inlayHints,
  prepareRename,
  rename,
  semanticTokens,
  semanticTokensLegend,
  toLspDiagnostic,
} from '../features';
import { resolveTarget } from '../features/resolvedConfig';
import { RESOLVED_CONFIG_METHOD, type ResolvedConfigParams, type ResolvedConfigResult } from '../../../schemas/src/resolvedConfigRequest';
import { Debouncer } from './debouncer';
import { DocumentStore, type AnalysedDocument } from './documentStore';
import { FolderWatcher } from './folderWatcher';
import { registerRunRequests } from './runRequests';


const DIAGNOSTICS_DELAY_MS = 150;

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const models = new FileSystemModelKnowledge();
  let workspaceFolder: string | undefined;
  const store = new DocumentStore(models, () => workspaceFolder);
  const debouncer = new Debouncer(DIAGNOSTICS_DELAY_MS);
  let watchedFilesSupported = false;

  const analysed = (uri: string): AnalysedDocument | undefined => {
    const doc = documents.get(uri);
    return doc ? store.get(uri, doc.version, doc.getText()) : undefined;
  };

  // Open fires both didOpen and didChangeContent: publish each version once unless files changed.
  const publishedVersions = new Map<string, number>();
  const publish = (uri: string, force = false) => {
    try {
      const entry = analysed(uri);
      if (!entry) return;
      if (!force && publishedVersions.get(uri) === entry.version) return;
      publishedVersions.set(uri, entry.version);
      const diagnostics = entry.analysis.diagnostics.map((d) => toLspDiagnostic(d, uri, entry.lines));
      void connection.sendDiagnostics({ uri, version: entry.version, diagnostics });
      watcher.setFolders(store.modelFolders());
    } catch (error) {
      // A bug must not take the server down: say so on the first line and in the log.
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      connection.console.error(`masklab: analysing ${uri} failed: ${detail}`);
      const message = `Masklab could not analyse this file (internal error: ${error instanceof Error ? error.message : String(error)}). See the Masklab Language Server output.`;
      void connection.sendDiagnostics({ uri, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, source: 'masklab', message }] });
    }
  };

  const refreshAll = () => {
    models.forget();
    store.invalidateAll();
    for (const doc of documents.all()) publish(doc.uri, true);
    void connection.languages.inlayHint.refresh().catch(() => undefined);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };
  const watcher = new FolderWatcher(refreshAll);
  const refreshCodeLenses = () => void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  const runs = registerRunRequests(connection, { document: analysed, workspaceFolder: () => workspaceFolder, activeRunsChanged: refreshCodeLenses });

  connection.onInitialize((params): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    if (folder) workspaceFolder = URI.parse(folder).fsPath;
    watchedFilesSupported = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    runs.configure(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', '/', ' ', ','] },
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        definitionProvider: true,
        referencesProvider: false,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      },
      serverInfo: { name: 'masklab-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (watchedFilesSupported) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/{config.json,*.safetensors,model.safetensors.index.json,vocab.txt,tokenizer_config.json}' },
          { globPattern: '**/*.{tsv,csv,jsonl}' },
        ],
      });
    }
  });
  connection.onDidChangeWatchedFiles(() => refreshAll());
  connection.onDidChangeConfiguration((p) => runs.configurationChanged(p.settings));

  documents.onDidChangeContent((e) => debouncer.schedule(e.document.uri, () => publish(e.document.uri)));
  documents.onDidOpen((e) => publish(e.document.uri));
  documents.onDidClose((e) => {
    debouncer.cancel(e.document.uri);
    store.forget(e.document.uri);
    publishedVersions.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? completion(entry.analysis, entry.lines, entry.lines.offsetAt(p.position)) : [];
  });
  connection.onHover((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? hover(entry.analysis, entry.lines, entry.lines.offsetAt(p.position)) : null;
  });
  connection.onDocumentSymbol((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? documentSymbols(entry.analysis.document, entry.analysis.text, entry.lines) : [];
  });
  connection.onFoldingRanges((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? foldingRanges(entry.analysis.document, entry.lines) : [];
  });
  connection.onDocumentFormatting((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? formatting(entry.analysis.text, entry.lines) : [];
  });
  connection.onDefinition((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? definition(entry.analysis.document, entry.lines, entry.lines.offsetAt(p.position), p.textDocument.uri) : [];
  });
  connection.onPrepareRename((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? prepareRename(entry.analysis.document, entry.lines, entry.lines.offsetAt(p.position)) : null;
  });
  connection.onRenameRequest((p) => {
    const entry = analysed(p.textDocument.uri);
    if (!entry) return null;
    const result = rename(entry.analysis.document, entry.lines, entry.lines.offsetAt(p.position), p.newName, p.textDocument.uri);
    if ('error' in result) throw new Error(result.error);
    return result;
  });
  connection.onCodeAction((p) => {
    const entry = analysed(p.textDocument.uri);
    if (!entry) return [];
    const span = { start: entry.lines.offsetAt(p.range.start), end: entry.lines.offsetAt(p.range.end) };
    return codeActions(entry.analysis, entry.lines, span);
  });
  connection.onCodeLens((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? codeLenses(entry.analysis, entry.lines, { activeRuns: (name) => runs.activeRunsOf(p.textDocument.uri, name) }) : [];
  });
  connection.languages.inlayHint.on((p) => {
    const entry = analysed(p.textDocument.uri);
    if (!entry) return [];
    const span = { start: entry.lines.offsetAt(p.range.start), end: entry.lines.offsetAt(p.range.end) };
    return inlayHints(entry.analysis, entry.lines, span);
  });
  connection.languages.semanticTokens.on((p) => {
    const entry = analysed(p.textDocument.uri);
    return entry ? semanticTokens(entry.analysis.document, entry.analysis.text, entry.lines) : { data: [] };
  });

  connection.onRequest(RESOLVED_CONFIG_METHOD, (p: ResolvedConfigParams): ResolvedConfigResult => {
    const entry = analysed(p.uri);
    if (!entry) return { error: `${p.uri} is not open in the language server` };
    const result = resolveTarget(entry.analysis, { name: p.experiment, index: p.index });
    if ('errors' in result) return { error: result.errors.map((e) => e.message).join('\n') };
    return { json: JSON.stringify(result.config, null, 2) + '\n' };
  });

  connection.onShutdown(() => {
    runs.dispose();
    debouncer.dispose();
    watcher.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
