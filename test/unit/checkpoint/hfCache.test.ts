import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hubCacheFolder, resolveModelReference } from '../../../server/src/checkpoint/hfCache';
import { tempDir } from './fakeCheckpoint';

const MAIN = 'a'.repeat(40);
const TAGGED = 'b'.repeat(40);

/** A fake huggingface_hub cache holding google-bert/bert-base-uncased at main and at tag v1. */
function fakeHub(): string {
  const hub = tempDir('hub');
  const repo = path.join(hub, 'models--google-bert--bert-base-uncased');
  for (const commit of [MAIN, TAGGED]) fs.mkdirSync(path.join(repo, 'snapshots', commit), { recursive: true });
  fs.mkdirSync(path.join(repo, 'refs'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'refs', 'main'), MAIN);
  fs.writeFileSync(path.join(repo, 'refs', 'v1'), `${TAGGED}\n`);
  return hub;
}

test('plain paths resolve relative to the experiment file folder', () => {
  assert.deepEqual(resolveModelReference('models/tiny', '/work/exp'), { dir: path.resolve('/work/exp/models/tiny') });
  assert.deepEqual(resolveModelReference('../shared/m', '/work/exp'), { dir: path.resolve('/work/shared/m') });
  assert.deepEqual(resolveModelReference('/abs/model', '/work/exp'), { dir: path.resolve('/abs/model') });
  assert.deepEqual(resolveModelReference('~/models/x', '/work/exp', { HOME: '/home/me' }), { dir: path.resolve('/home/me/models/x') });
});

test('hf: references resolve through refs/<revision> to the snapshot folder', () => {
  const hub = fakeHub();
  const env = { HF_HUB_CACHE: hub };
  const snapshot = (commit: string): string => path.join(hub, 'models--google-bert--bert-base-uncased', 'snapshots', commit);
  assert.deepEqual(resolveModelReference('hf:google-bert/bert-base-uncased', '/x', env), { dir: snapshot(MAIN) });
  assert.deepEqual(resolveModelReference('hf:google-bert/bert-base-uncased@v1', '/x', env), { dir: snapshot(TAGGED) });
  assert.deepEqual(resolveModelReference(`hf:google-bert/bert-base-uncased@${TAGGED}`, '/x', env), { dir: snapshot(TAGGED) });
});

test('the cache folder follows HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(hubCacheFolder({ HF_HUB_CACHE: '/a', HF_HOME: '/b' }).hub, path.resolve('/a'));
  assert.equal(hubCacheFolder({ HF_HOME: '/b' }).hub, path.resolve('/b/hub'));
  assert.equal(hubCacheFolder({ XDG_CACHE_HOME: '/c' }).hub, path.resolve('/c/huggingface/hub'));
  assert.equal(hubCacheFolder({ HOME: '/home/me' }).hub, path.resolve('/home/me/.cache/huggingface/hub'));

  const home = tempDir('home');
  const hub = fakeHub();
  fs.mkdirSync(path.join(home, 'hf'));
  fs.renameSync(hub, path.join(home, 'hf', 'hub'));
  const resolved = resolveModelReference('hf:google-bert/bert-base-uncased', '/x', { HF_HOME: path.join(home, 'hf') });
  assert.deepEqual(resolved, { dir: path.join(home, 'hf', 'hub', 'models--google-bert--bert-base-uncased', 'snapshots', MAIN) });
});

test('a model missing from the cache says where it looked and how to fetch it', () => {
  const hub = fakeHub();
  const missing = resolveModelReference('hf:FacebookAI/roberta-base', '/x', { HF_HUB_CACHE: hub });
  assert.ok('problem' in missing);
  if ('problem' in missing) {
    assert.ok(missing.problem.includes(path.join(hub, 'models--FacebookAI--roberta-base')), missing.problem);
    assert.match(missing.problem, /from HF_HUB_CACHE/);
    assert.match(missing.problem, /`huggingface-cli download FacebookAI\/roberta-base`/);
  }
  const revision = resolveModelReference('hf:google-bert/bert-base-uncased@v2', '/x', { HF_HUB_CACHE: hub });
  assert.ok('problem' in revision && revision.problem.includes(path.join('refs', 'v2')) && /--revision v2/.test(revision.problem));

  fs.rmSync(path.join(hub, 'models--google-bert--bert-base-uncased', 'snapshots', MAIN), { recursive: true });
  const gone = resolveModelReference('hf:google-bert/bert-base-uncased', '/x', { HF_HUB_CACHE: hub });
  assert.ok('problem' in gone && gone.problem.includes(path.join('snapshots', MAIN)));

  fs.writeFileSync(path.join(hub, 'models--google-bert--bert-base-uncased', 'refs', 'main'), 'garbage');
  const damaged = resolveModelReference('hf:google-bert/bert-base-uncased', '/x', { HF_HUB_CACHE: hub });
  assert.ok('problem' in damaged && /damaged/.test(damaged.problem));
});

test('malformed hf: references are problems, not paths', () => {
  for (const ref of ['hf:', 'hf:a/b/c', 'hf:../etc', 'hf:owner/name@', 'hf:owner/name@../../x']) {
    const resolved = resolveModelReference(ref, '/x', { HF_HUB_CACHE: '/nowhere' });
    assert.ok('problem' in resolved, ref);
  }
  const legacy = resolveModelReference('hf:bert-base-uncased', '/x', { HF_HUB_CACHE: '/nowhere' });
  assert.ok('problem' in legacy && legacy.problem.includes('models--bert-base-uncased'), 'legacy ids without owner are looked up too');
});
