// Resolving the `model` reference of an experiment file to a folder, offline. A plain path is
// relative to the experiment file's folder; `hf:owner/name[@revision]` is looked up in the local
// Hugging Face cache, laid out by huggingface_hub as
//   <hub>/models--owner--name/refs/<revision>      (a file holding a commit hash)
//   <hub>/models--owner--name/snapshots/<hash>/    (the model folder)
// Nothing is downloaded: Masklab never uses the network at run time.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ModelReferenceResolution = { dir: string } | { problem: string };

const HF_PREFIX = 'hf:';
const REPO_ID = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;
const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isHubReference(ref: string): boolean {
  return ref.startsWith(HF_PREFIX);
}

/**
 * `ref` → model folder. Plain paths are returned resolved (whether they exist is for the
 * model knowledge to report); `hf:` references must be in the cache, otherwise the problem says
 * where we looked and how to fetch the model.
 */
export function resolveModelReference(ref: string, baseDir: string, env: NodeJS.ProcessEnv = process.env): ModelReferenceResolution {
  if (!isHubReference(ref)) return { dir: path.resolve(baseDir, expandHome(ref, env)) };

  const body = ref.slice(HF_PREFIX.length);
  const at = body.indexOf('@');
  const repoId = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? 'main' : body.slice(at + 1);
  if (!REPO_ID.test(repoId) || repoId.includes('..')) {
    return { problem: `"${ref}" is not a Hugging Face model id; write hf:owner/name or hf:owner/name@revision (e.g. hf:google-bert/bert-base-uncased).` };
  }
  if (revision === '' || revision.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return { problem: `"${ref}" has an invalid revision after '@'; write a branch, tag or commit hash, e.g. hf:${repoId}@main.` };
  }

  const { hub, source } = hubCacheFolder(env);
  const repoFolder = path.join(hub, `models--${repoId.replace(/\//g, '--')}`);
  const fetch = `On a machine with network run \`huggingface-cli download ${repoId}${revision === 'main' ? '' : ` --revision ${revision}`}\` and copy its cache here (or set HF_HUB_CACHE to a cache that has it).`;
  const notCached = (lookedAt: string): { problem: string } => ({
    problem: `${repoId}${revision === 'main' ? '' : `@${revision}`} is not in the Hugging Face cache: looked for ${lookedAt} (cache folder ${hub}, from ${source}). ${fetch}`,
  });

  if (!isFolder(repoFolder)) return notCached(repoFolder);

  let commit: string;
  if (COMMIT_HASH.test(revision) && isFolder(path.join(repoFolder, 'snapshots', revision))) {
    commit = revision;
  } else {
    const refFile = path.join(repoFolder, 'refs', revision);
    let content: string;
    try {
      content = fs.readFileSync(refFile, 'utf8').trim();
    } catch {
      return notCached(refFile);
    }
    if (!COMMIT_HASH.test(content)) {
      return { problem: `${refFile} should hold a 40-character commit hash but holds ${JSON.stringify(content.slice(0, 60))}; the cache is damaged. ${fetch}` };
    }
    commit = content;
  }
  const snapshot = path.join(repoFolder, 'snapshots', commit);
  if (!isFolder(snapshot)) return notCached(snapshot);
  return { dir: snapshot };
}

/** The hub cache folder huggingface_hub would use with this environment, and which setting chose it. */
export function hubCacheFolder(env: NodeJS.ProcessEnv = process.env): { hub: string; source: string } {
  if (env.HF_HUB_CACHE) return { hub: path.resolve(expandHome(env.HF_HUB_CACHE, env)), source: 'HF_HUB_CACHE' };
  if (env.HUGGINGFACE_HUB_CACHE) return { hub: path.resolve(expandHome(env.HUGGINGFACE_HUB_CACHE, env)), source: 'HUGGINGFACE_HUB_CACHE' };
  if (env.HF_HOME) return { hub: path.join(path.resolve(expandHome(env.HF_HOME, env)), 'hub'), source: 'HF_HOME' };
  if (env.XDG_CACHE_HOME) return { hub: path.join(path.resolve(expandHome(env.XDG_CACHE_HOME, env)), 'huggingface', 'hub'), source: 'XDG_CACHE_HOME' };
  return { hub: path.join(homeDir(env), '.cache', 'huggingface', 'hub'), source: 'the default ~/.cache/huggingface/hub' };
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~') return homeDir(env);
  if (p.startsWith('~/')) return path.join(homeDir(env), p.slice(2));
  return p;
}

function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
