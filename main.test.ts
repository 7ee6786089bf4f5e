// The app's top-level test, as `cdk8s init` lays it out: what `npm run synth` makes of the example
// configs in config/, as one snapshot a reviewer reads in one place
// (__snapshots__/main.test.ts.snap). dist/ holds the same files (`npm test` checks it is current);
// test/ checks each rule, and snapshots only what differs from these examples.
import { join } from 'node:path';
import { readConfigFolder, synthesizeFleet } from './app/synth';

/** The configs this project ships as examples; a cluster of your own in config/ is not snapshotted here. */
const EXAMPLES = ['default', 'minio-s3'];

const output = new Map([...synthesizeFleet(readConfigFolder(join(__dirname, 'config')))]
  .filter(([file]) => EXAMPLES.includes(file.split('/')[0])));

test('each example config gets a folder of its own, with a kustomization.yaml', () => {
  const clusters = [...new Set([...output.keys()].map((file) => file.split('/')[0]))];
  expect(clusters).toEqual(EXAMPLES);
  for (const cluster of clusters) expect(output.has(`${cluster}/kustomization.yaml`)).toBe(true);
});

test('the example configs\' output', () => {
  expect(Object.fromEntries(output)).toMatchSnapshot();
});
