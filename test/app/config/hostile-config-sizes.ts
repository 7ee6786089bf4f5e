import { synthesizeCluster } from '../../../app/charts/cluster';
import { ConfigError } from '../../../app/config/config-error';
import { parseConfigText } from '../../../app/config/loader';

// Config errors by the thousand stay linear and short (class 14), at `n` items: the unit tier
// runs it small, the integration tier at 40000 (a quadratic path takes minutes there).

const valid = 'name: prod\nregistry:\n  storage: {emptyDir: {}}\n';
const keys = (n: number, indent: string, value: (i: number) => string) => Array.from({ length: n }, (_, i) => `${indent}k${i}: ${value(i)}`).join('\n');

function configError(text: string): string {
  try {
    synthesizeCluster(parseConfigText(text, 'config/prod.yaml'));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

export function manyProblems(n: number): void {
  describe(`class 14: ${n} problems in one config`, () => {
    test(`${n} bad values: 50 lines and a count`, () => {
      const lines = configError(`${valid}  nodeSelector:\n${keys(n, '    ', (i) => String(i))}\n`).split('\n');
      expect(lines).toHaveLength(51);
      expect(lines[0]).toBe('config/prod.yaml:5:9: registry.nodeSelector.k0: expected a string, got number 0');
      expect(lines[49]).toBe('config/prod.yaml:54:10: registry.nodeSelector.k49: expected a string, got number 49');
      expect(lines[50]).toBe(`config/prod.yaml: ${n - 50} more problems in this file`);
    }, 60_000);

    test(`${n} unknown keys: one line with five of them`, () => {
      const message = configError(`${valid}${keys(n, '', () => '1')}\n`);
      expect(message).toBe(`config/prod.yaml:4:1: unknown keys "k0", "k1", "k2", "k3", "k4" and ${n - 5} more; allowed: name, openshiftVersion, minio, registry, imageConfig, pruner, storageSwitch, applierRbac, gitops`);
    }, 60_000);
  });
}
