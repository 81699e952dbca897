import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { analyse } from '../analysis/analyse';
import type { Analysis } from '../analysis/analysis';
import type { ModelKnowledge } from '../checkpoint/modelKnowledge';
import { LineIndex } from '../dsl/lineIndex';
import { parse } from '../dsl/parser';

/** One open document, parsed and analysed at one version. */
export interface AnalysedDocument {
  uri: string;
  version: number;
  lines: LineIndex;
  analysis: Analysis;
}

/**
 * Parse and analysis results by uri and version, so that the many requests an editor sends for
 * one version (diagnostics, semantic tokens, inlay hints, code lenses…) share one analysis.
 */
export class DocumentStore {
  private readonly entries = new Map<string, AnalysedDocument>();

  constructor(
    private readonly models: ModelKnowledge,
    private readonly workspaceFolder: () => string | undefined = () => undefined,
  ) {}

  get(uri: string, version: number, text: string): AnalysedDocument {
    const cached = this.entries.get(uri);
    if (cached && cached.version === version && cached.analysis.text === text) return cached;
    const filePath = filePathOf(uri, this.workspaceFolder());
    const document = parse(text);
    const analysis = analyse(document, { uri, filePath, text, models: this.models });
    const entry: AnalysedDocument = { uri, version, lines: new LineIndex(text), analysis };
    this.entries.set(uri, entry);
    return entry;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  /** Files on disk changed: every analysis must be made again. */
  invalidateAll(): void {
    this.entries.clear();
  }

  /** Checkpoint folders the cached analyses read, for the folder watcher. */
  modelFolders(): Set<string> {
    const folders = new Set<string>();
    for (const entry of this.entries.values()) {
      for (const experiment of entry.analysis.experiments.values()) {
        const dir = experiment.model?.dir;
        if (dir) folders.add(dir);
      }
    }
    return folders;
  }
}

/** The file a document's relative paths are resolved against; untitled documents use the workspace folder. */
export function filePathOf(uri: string, workspaceFolder: string | undefined): string {
  try {
    const parsed = URI.parse(uri);
    if (parsed.scheme === 'file') return parsed.fsPath;
    return path.join(workspaceFolder ?? process.cwd(), path.basename(parsed.path) || 'untitled.masklab');
  } catch {
    return path.join(workspaceFolder ?? process.cwd(), 'untitled.masklab');
  }
}
