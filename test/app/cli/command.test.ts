import { command, parseCommandArgs, UsageError } from '../../../app/cli/command';

const validate = command({
  name: 'validate',
  synopsis: '[DIR] [--crds DIR] [--full]',
  details: [],
  allowPositionals: true,
  options: { crds: { type: 'string' }, full: { type: 'boolean' } },
  run: () => 0,
});

const error = (args: string[]) => {
  try {
    parseCommandArgs(validate, args);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return undefined;
};

describe('command arguments', () => {
  test('--help and -h ask for help wherever they stand as options, even after a mistake', () => {
    for (const args of [['--help'], ['-h'], ['dist', '--help'], ['--bogus', '--help'], ['--full', '-h']]) expect([args, parseCommandArgs(validate, args)]).toEqual([args, undefined]);
  });

  test('--help as a value or after -- is not a request for help', () => {
    expect(parseCommandArgs(validate, ['--crds=--help'])?.values.crds).toBe('--help');
    expect(parseCommandArgs(validate, ['--', '--help'])?.positionals).toEqual(['--help']);
    expect(error(['--crds', '--help'])).toBe('--crds needs a value, and the next argument is an option (a value that starts with - is written --crds=-value)');
  });

  test('an option without its value, and an unknown option, are named', () => {
    expect(error(['--crds'])).toBe('--crds needs a value');
    expect(error(['--crd', 'x'])).toBe('unknown option --crd');
  });

  test('a switch given a value says it takes none', () => {
    expect(error(['--full=yes'])).toBe('--full takes no value (it is on when given)');
  });
});
