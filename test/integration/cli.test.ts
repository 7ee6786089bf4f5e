import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapStack } from '../../app/cli/source-stack';
import { repoRoot, runCli, snapshotDir } from '../helpers';

const TOOL = 'openshift-image-registry-cdk8s';
const COMMANDS = ['synth', 'validate', 'diff', 'discover'];

describe('the command-line tool', () => {
  test('--help lists every command, exit 0; no command prints the same to stderr, exit 2', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const name of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    const none = runCli([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(help.stdout);
  });

  test('--version and -V print the package\'s version (GNU style: name and version first) and the Node.js that runs it, exit 0', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const result = runCli([flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${TOOL} ${version}\nNode.js ${process.version}\n`);
      expect(result.stderr).toBe('');
    }
    expect(runCli(['--help']).stdout).toContain(`${TOOL} --version`);
  });

  test.each(COMMANDS)('%s --help prints its usage and options, exit 0', (name) => {
    const result = runCli([name, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: ${TOOL} ${name} `));
    expect(result.stdout).toMatch(/^ {2}--\S+/m);
  });

  test.each(COMMANDS)('%s with an unknown option: one line that names it, the usage, exit 2', (name) => {
    const result = runCli([name, '--confg', 'x']);
    expect(result.status).toBe(2);
    const [first, second, ...rest] = result.stderr.split('\n');
    expect(first).toBe(`${TOOL} ${name}: unknown option --confg`);
    expect(second).toMatch(new RegExp(`^usage: ${TOOL} ${name} `));
    expect(rest.join('\n')).not.toMatch(/\bat \S+ \(/);
  });

  test('an option without its value, an unexpected argument, an unknown command: one line each, exit 2', () => {
    expect(runCli(['synth', '--config']).stderr.split('\n')[0]).toBe(`${TOOL} synth: --config needs a value`);
    expect(runCli(['synth', 'extra']).stderr.split('\n')[0]).toBe(`${TOOL} synth: unexpected argument "extra"`);
    const unknown = runCli(['synht']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe(`${TOOL}: unknown command "synht"`);
  });

  test('npm run synth and the synth command write the same files', () => {
    const a = mkdtempSync(join(tmpdir(), 'cli-'));
    const b = mkdtempSync(join(tmpdir(), 'cli-'));
    expect(runCli(['synth', '--outdir', a]).status).toBe(0);
    const npm = spawnSync('npm', ['run', '-s', 'synth', '--', '--outdir', b], { cwd: repoRoot, encoding: 'utf8' });
    expect(npm.status).toBe(0);
    expect(snapshotDir(a)).toEqual(snapshotDir(b));
  });
});

describe('stack traces of a defect', () => {
  test('name the TypeScript source and line, not the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    const source = join(dir, 'thrower.ts');
    writeFileSync(source, 'export function boom(): never {\n  // line 2\n  throw new Error("boom");\n}\nboom();\n');
    const outfile = join(dir, 'thrower.cjs');
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'bundle.mjs'), source, outfile]);
    const stack = spawnSync(process.execPath, [outfile], { encoding: 'utf8' }).stderr.split('\n').filter((line) => /^\s+at /.test(line)).join('\n');
    expect(stack).toContain('thrower.cjs:');
    const mapped = mapStack(stack);
    expect(mapped).toMatch(/thrower\.ts:3:\d+/);
    expect(mapped).not.toContain('thrower.cjs:');
  });
});
