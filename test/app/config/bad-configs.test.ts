import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { ConfigError } from '../../../app/config/config-error';
import { parseConfigText } from '../../../app/config/loader';

// A corpus of bad configs, each with the error it must produce on its first line
// (`# expect: <text>`). Each must fail with one ConfigError that names the file, never a stack
// trace; 40 and up are hostile (prototype keys, aliases, escape sequences, files that are not configs).
const dir = join(__dirname, 'bad');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('the corpus has at least 30 bad configs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
});

test.each(cases)('%s', (name) => {
  const text = readFileSync(join(dir, name), 'utf8');
  const expected = /^# expect: (.*)$/m.exec(text)![1];
  let error: unknown;
  try {
    synthesizeCluster(parseConfigText(text, `config/${name}`));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  expect(message).toContain(expected);
  expect(message.startsWith(`config/${name}`)).toBe(true);
  expect(message).not.toMatch(/\n\s+at /);
  // Whatever the file holds, nothing it holds reaches the terminal unescaped.
  expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});
