// Builds Masklab's optional native kernels (server/native → server/native/build/Release/
// masklab_kernels.node) when a C compiler, Node's headers and a CBLAS are present; otherwise prints
// one line saying what is missing and how to get it, and exits 0: Masklab installs, runs and
// passes its tests on stock wasm without the addon.
//
//   node .ci/build-native.mjs            (npm ci / npm run build:native run it)
//   MASKLAB_NATIVE=off                   skip the build
//   MASKLAB_BLAS_LIBS="-L/opt/x -lblis"  link against this CBLAS instead of searching
//   MASKLAB_BLAS_INCLUDE=/opt/x/include  where its cblas.h is
//
// Nothing is downloaded: node-gyp is given the local headers (--nodedir), never fetches them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'server/native');
const addon = path.join(nativeDir, 'build/Release/masklab_kernels.node');
const started = Date.now();
const say = (line) => console.log(`masklab native kernels: ${line}`);
const notBuilt = (why, fix) => {
  say(`not built (${why}${fix ? `; ${fix}` : ''}). Masklab runs on stock wasm without them.`);
  process.exit(0);
};

if (/^(off|0|false|no)$/i.test(process.env.MASKLAB_NATIVE ?? '')) notBuilt('MASKLAB_NATIVE=off');
if (process.platform === 'win32') notBuilt('building on Windows is not supported yet');

const run = (command, args, options = {}) => spawnSync(command, args, { encoding: 'utf8', ...options });

// 1. A C compiler.
const cc = process.env.CC || 'cc';
if (run(cc, ['--version']).status !== 0) notBuilt(`no C compiler ('${cc}')`, 'apt-get install -y build-essential, then npm run build:native');

// 2. Node's own headers (node-gyp would otherwise try to download them).
function nodeHeaders() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'].filter(Boolean);
  return candidates.find((dir) => existsSync(path.join(dir, 'include/node/node_api.h')));
}
const nodedir = nodeHeaders();
if (!nodedir) notBuilt(`Node's headers (include/node/node_api.h) were not found next to ${process.execPath}`, 'install the nodejs headers (Debian: libnode-dev), then npm run build:native');

// 3. A CBLAS: probe-compile, link and run cblas_sgemm against each candidate.
const probeDir = mkdtempSync(path.join(tmpdir(), 'masklab-blas-'));
const probeSource = path.join(probeDir, 'probe.c');
writeFileSync(
  probeSource,
  '#include <cblas.h>\nint main(void) { float a = 2, b = 3, c = 0;\n' +
    '  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1);\n  return c == 6.0f ? 0 : 1; }\n',
);
const splitFlags = (text) => text.split(/\s+/).filter(Boolean);
const candidates = process.env.MASKLAB_BLAS_LIBS
  ? [{ name: 'MASKLAB_BLAS_LIBS', libs: process.env.MASKLAB_BLAS_LIBS, include: process.env.MASKLAB_BLAS_INCLUDE ?? '' }]
  : [
      { name: 'OpenBLAS', libs: '-lopenblas', include: '' },
      { name: 'OpenBLAS', libs: '-lopenblas', include: '/usr/include/openblas' },
      { name: 'CBLAS', libs: '-lcblas', include: '' },
      { name: 'BLAS with CBLAS symbols', libs: '-lblas', include: '' },
    ];
const failures = [];
let blas;
for (const candidate of candidates) {
  const exe = path.join(probeDir, 'probe');
  const includeFlags = candidate.include ? [`-I${candidate.include}`] : [];
  const compiled = run(cc, [...includeFlags, probeSource, '-o', exe, ...splitFlags(candidate.libs)]);
  if (compiled.status !== 0) {
    const first = (compiled.stderr || '').split('\n').find((l) => /error|undefined reference|cannot find/.test(l)) ?? 'compile failed';
    failures.push(`${candidate.libs}: ${first.trim()}`);
    continue;
  }
  if (run(exe, []).status !== 0) {
    failures.push(`${candidate.libs}: cblas_sgemm gave a wrong product`);
    continue;
  }
  blas = candidate;
  break;
}
rmSync(probeDir, { recursive: true, force: true });
if (!blas) {
  const noHeader = failures.every((f) => /cblas\.h/.test(f));
  notBuilt(
    noHeader ? 'no cblas.h found' : `no CBLAS to link against (${failures[failures.length - 1] ?? 'none tried'})`,
    'apt-get install -y libopenblas-dev (or set MASKLAB_BLAS_LIBS / MASKLAB_BLAS_INCLUDE), then npm run build:native',
  );
}

// 4. node-gyp: npm's bundled copy, else one installed in the project.
function findNodeGyp() {
  const fromNpm = process.env.npm_execpath ? [path.join(path.dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js')] : [];
  const beside = [
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    '/usr/share/nodejs/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  const found = [...fromNpm, ...beside].find((p) => existsSync(p));
  if (found) return found;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}
const nodeGyp = findNodeGyp();
if (!nodeGyp) notBuilt('node-gyp was not found (it ships with npm)', 'reinstall npm, or npm install --save-dev node-gyp, then npm run build:native');

const build = run(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, `--directory=${nativeDir}`, '--loglevel=error'], {
  env: { ...process.env, MASKLAB_BLAS_LIBS: blas.libs, MASKLAB_BLAS_INCLUDE: blas.include, npm_config_nodedir: nodedir },
});
if (build.status !== 0 || !existsSync(addon)) {
  const log = `${build.stdout ?? ''}\n${build.stderr ?? ''}`.split('\n').filter((l) => /error/i.test(l));
  notBuilt(`node-gyp failed: ${(log[0] ?? `exit ${build.status}`).trim()}`, 'run npm run build:native to see the whole output');
}

// 5. Load it in a fresh process (as Masklab will) and ask which BLAS it runs on.
const check = run(process.execPath, [
  '-e',
  `const k = require(${JSON.stringify(addon)}); const i = k.info(); process.stdout.write(i.library ? i.library.split(' ').slice(0, 2).join(' ') : 'CBLAS');`,
], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
if (check.status !== 0) {
  const why = (check.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${check.status}`;
  rmSync(addon, { force: true });
  notBuilt(`the built addon does not load (${why.trim()})`, 'check the BLAS installation, then npm run build:native');
}
say(`built ${path.relative(root, addon)} against ${check.stdout} (${blas.libs}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
