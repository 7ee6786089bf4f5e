// app/cli/cli.ts loads a command's module only when that command runs (what the CLI's bundle
// gains from it is measured in docs/performance.md and checked in test/integration/bundle.test.ts).
const COMMANDS = ['synth', 'validate', 'diff', 'discover'];

/** runCli(argv) with every command module replaced by a stand-in that records its loading; `broken` throws when loaded. */
async function run(argv: string[], broken?: string) {
  jest.resetModules();
  const loaded: string[] = [];
  for (const name of COMMANDS) {
    jest.doMock(`../../../app/cli/${name}-command`, () => {
      loaded.push(name);
      if (name === broken) throw new Error(`${name} failed to load`);
      const definition = { name, synopsis: '', details: ['its details'], options: {}, run: () => 0 };
      return { [`${name}Command`]: name === 'synth' ? () => definition : definition };
    });
  }
  // Each fresh copy of cli.ts guards the standard streams once more: its listeners go afterwards.
  const listeners = [process.stdout, process.stderr].map((stream) => [stream, stream.listeners('error')] as const);
  const out: string[] = [];
  const err: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
  const error = jest.spyOn(console, 'error').mockImplementation((...args) => { err.push(args.join(' ')); });
  const writeError = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true; });
  try {
    const { runCli } = await import('../../../app/cli/cli');
    return { code: await runCli(argv), loaded, stdout: out.join(''), stderr: err.join('\n') };
  } finally {
    write.mockRestore();
    error.mockRestore();
    writeError.mockRestore();
    for (const [stream, before] of listeners) for (const added of stream.listeners('error').filter((l) => !before.includes(l))) stream.off('error', added as never);
  }
}

afterEach(() => {
  for (const name of COMMANDS) jest.dontMock(`../../../app/cli/${name}-command`);
});

describe('the CLI loads a command only to run it', () => {
  test('--version loads none', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^openshift-image-registry-cdk8s \d+\.\d+\.\d+\n/);
    expect(result.loaded).toEqual([]);
  });

  test('a command loads only its own module', async () => {
    for (const name of COMMANDS) {
      const result = await run([name]);
      expect([name, result.code, result.loaded]).toEqual([name, 0, [name]]);
    }
  });

  test('the tool\'s help, and an unknown command, list every command and load none', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.loaded).toEqual([]);
    expect(help.stdout.split('\n').filter((line) => /^ {2}[a-z]+ {2,}/.test(line)).map((line) => line.trim().split(' ')[0])).toEqual(COMMANDS);
    expect(help.stdout).toContain('  discover  Lists the repositories, tags and digests of a registry.\n');
    const unknown = await run(['__proto__']);
    expect(unknown.code).toBe(2);
    expect(unknown.loaded).toEqual([]);
    expect(unknown.stderr).toContain('unknown command "__proto__"');
    expect(unknown.stderr).toContain('  validate  Checks manifests offline');
  });

  test('a command\'s help has the line the tool\'s help gives it, and its own details', async () => {
    const result = await run(['synth', '--help']);
    expect([result.code, result.loaded]).toEqual([0, ['synth']]);
    expect(result.stdout).toBe('usage: openshift-image-registry-cdk8s synth \n\nWrites validated YAML for every cluster config into the output folder (all or nothing).\n\nits details\n');
  });

  test('a command that fails to load is an internal error of that command, not an unhandled rejection', async () => {
    const result = await run(['diff'], 'diff');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^openshift-image-registry-cdk8s diff: internal error, please report it: Error: diff failed to load/);
  });

  test('the tool\'s help and an unknown command still work when a command\'s module fails to load', async () => {
    for (const [argv, code] of [[['--help'], 0], [[], 2], [['nope'], 2]] as const) {
      const result = await run([...argv], 'diff');
      expect([argv, result.code, result.loaded]).toEqual([argv, code, []]);
      expect(result.stdout + result.stderr).toContain('  diff      Synthesizes in memory');
    }
  });
});
