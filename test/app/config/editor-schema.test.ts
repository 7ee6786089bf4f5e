import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { configJsonSchema } from '../../../app/config/schema';

// schema/cluster-config.schema.json as yaml-language-server applies it: to one file at a time.
const validate = new Ajv({ allErrors: true, strict: false }).compile(configJsonSchema());
const errors = (text: string) => (validate(parse(text)) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

describe('the JSON Schema editors check config files with', () => {
  test('accepts the example configs', () => {
    for (const file of ['default.yaml', 'minio-s3.yaml']) expect(errors(readFileSync(join(__dirname, '..', '..', '..', 'config', file), 'utf8'))).toEqual([]);
  });

  test('accepts the files of a fleet: a _defaults.yaml without a name, a cluster that inherits its storage or removes an inherited key with null', () => {
    expect(errors('registry:\n  storage:\n    s3: {bucket: images, region: us-east-1}\npruner:\n  schedule: "0 1 * * *"\n')).toEqual([]);
    expect(errors('name: edge\nregistry:\n  replicas: 1\n')).toEqual([]);
    expect(errors('name: edge\nregistry:\n  storage:\n    s3: null\n    pvc: {name: image-registry-pvc, size: 100Gi}\n  nodeSelector:\n    node-role.kubernetes.io/infra: null\n')).toEqual([]);
  });

  test('still refuses a misspelt key and a wrong type, at their paths', () => {
    expect(errors('name: edge\nregistry:\n  replicass: 2\n')).toContainEqual('/registry must NOT have additional properties');
    expect(errors('name: edge\nregistry:\n  replicas: two\n')).toContainEqual('/registry/replicas must be integer');
  });
});
