// The analyser's window on checkpoints and files: the injected ModelKnowledge and path checks,
// with answers cached for one analysis so that a file with many experiments on one model reads
// its headers once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveModelReference } from '../checkpoint/hfCache';
import { isModelProblem, type ModelDescription, type ModelKnowledge } from '../checkpoint/modelKnowledge';
import type { AnalysisContext } from './analysis';

export type ModelSource = ModelKnowledge;

export type ModelState =
  | { ref: string; dir: string; description: ModelDescription }
  | { ref: string; dir?: string; problem: string };

export type PathKind = 'file' | 'directory' | undefined;

export class FileAccess {
  private readonly models = new Map<string, ModelState>();
  private readonly kinds = new Map<string, PathKind>();
  private readonly memo = new Map<string, unknown>();
  readonly baseDir: string;

  constructor(private readonly ctx: AnalysisContext) {
    this.baseDir = path.dirname(path.resolve(ctx.filePath || 'untitled.masklab'));
  }

  /** A path written in the file, made absolute against the file's folder. */
  absolute(ref: string): string {
    return this.cached(`absolute:${ref}`, () => path.resolve(this.baseDir, ref));
  }

  /**
   * A computation about a model remembered for this analysis: many experiments of a file share
   * a model and ask the same selection of it, and selecting is the costly part of a check.
   */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  pathKind(absolutePath: string): PathKind {
    if (this.kinds.has(absolutePath)) return this.kinds.get(absolutePath);
    let kind: PathKind;
    if (this.ctx.pathKind) kind = this.ctx.pathKind(absolutePath);
    else if (this.ctx.fileExists) kind = this.ctx.fileExists(absolutePath) ? 'file' : undefined;
    else kind = statKind(absolutePath);
    this.kinds.set(absolutePath, kind);
    return kind;
  }

  /** Whether only existence (not file versus folder) can be told. */
  get existenceOnly(): boolean {
    return !this.ctx.pathKind && !!this.ctx.fileExists;
  }

  model(ref: string): ModelState {
    const cached = this.models.get(ref);
    if (cached) return cached;
    const state = this.readModel(ref);
    this.models.set(ref, state);
    return state;
  }

  private readModel(ref: string): ModelState {
    let resolved: { dir: string } | { problem: string };
    try {
      resolved = (this.ctx.resolveModel ?? resolveModelReference)(ref, this.baseDir);
    } catch (e) {
      resolved = { problem: `cannot resolve the model reference "${ref}": ${(e as Error).message}` };
    }
    if ('problem' in resolved) return { ref, problem: resolved.problem };
    let answer;
    try {
      answer = this.ctx.models.describe(resolved.dir);
    } catch (e) {
      // The interface promises not to throw; a stub or a future implementation might.
      return { ref, dir: resolved.dir, problem: `reading the model in ${resolved.dir} failed: ${(e as Error).message}` };
    }
    if (isModelProblem(answer)) return { ref, dir: resolved.dir, problem: answer.problem };
    return { ref, dir: resolved.dir, description: answer };
  }
}

function statKind(p: string): PathKind {
  try {
    const stat = fs.statSync(p);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}
