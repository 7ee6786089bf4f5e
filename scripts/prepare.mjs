// npm's `prepare` script. npm runs it after `npm ci` or `npm install` in a checkout of this
// repository, and when it installs this package from a git URL: it clones the repository,
// installs its devDependencies there (running this script once more), then packs the clone and
// runs `prepare` before packing (pacote lib/git.js and lib/dir.js; not `prepack`, which only
// `npm pack` and `npm publish` run). Only that last run needs build/: a checkout runs from its
// sources. npm sets INIT_CWD to the folder it was started in: the checkout itself for a
// checkout's own install, the installing app's folder when it packs a git dependency.
// In a checkout it bundles the CLI's sources ahead of its first run (scripts/bundle.mjs), so
// that the first command after `npm ci` does not wait for esbuild.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const startedHere = process.env.INIT_CWD !== undefined && resolve(process.env.INIT_CWD) === process.cwd();
if (!startedHere) {
  // npm_execpath: the npm that runs this script (a package manager of another name may not be on PATH).
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = result.status ?? 1;
} else {
  try {
    const { bundleIfStale } = await import('./bundle.mjs');
    await bundleIfStale('main.ts');
  } catch {
    // A source that does not bundle now (mid-edit) is reported by the command that runs it.
  }
}
