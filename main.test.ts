// The app's top-level test, as `cdk8s init` lays it out: what `npm run synth` makes of the example
// configs in config/, as one snapshot a reviewer reads in one place
// (__snapshots__/main.test.ts.snap). dist/ holds the same files (`npm test` checks it is current);
// test/ checks each rule, and snapshots only what differs from these examples.
import { join } from 'node:path';
import { readConfigFolder, synthesizeFleet } from './app/synth';

const output = synthesizeFleet(readConfigFolder(join(__dirname, 'config')));

test('each example config gets a folder of its own, with a kustomization.yaml', () => {
  const clusters = [...new Set([...output.keys()].map((file) => file.split('/')[0]))];
  expect(clusters).toEqual(['default', 'minio-s3']);
  for (const cluster of clusters) expect(output.has(`${cluster}/kustomization.yaml`)).toBe(true);
});

test('the example configs\' output', () => {
  expect(Object.fromEntries(output)).toMatchSnapshot();
});
