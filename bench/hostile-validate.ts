// Validate on hostile input grows linearly (and synth and diff on large maps, below): each shape of test/app/validate/hostile-manifests.test.ts
// at a size and at four times that size, median of several runs each. A linear path has a ratio
// near 4; a quadratic one near 16.
// Usage: npm run bench:hostile [-- --rounds N], from the project folder.
import { synthesizeCluster } from '../app/charts/cluster';
import { parseConfigText } from '../app/config/loader';
import { diffOutputs } from '../app/diff/object-diff';
import { builtInSchemas } from '../app/validate/built-in-schemas';
import { validateTree } from '../app/validate/validate-manifests';

const schemas = builtInSchemas();
const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');

/** Each shape: the files of a folder of `n` items. */
const SHAPES: Record<string, (n: number) => [string, string][]> = {
  'unknown fields of a Route': (n) => [['prod/r.yaml', `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: x}\nspec:\n  to: {kind: Service, name: s}\n${lines(n, (i) => `  k${i}: 1`)}\n`]],
  'unknown fields of a ConfigMap': (n) => [['prod/c.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\n${lines(n, (i) => `k${i}: 1`)}\n`]],
  'containers with an unknown field': (n) => [['prod/p.yaml', `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers:\n${lines(n, (i) => `      - {name: c${i}, image: x, imagePullPolicyy: Always}`)}\n`]],
  'Configs naming claims among others': (n) => [['kustomization.yaml', ''], ['all.yaml', Array.from({ length: n / 4 }, (_, i) => `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: c${i}}\nspec: {storage: {pvc: {claim: p${i}}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: q${i}, namespace: openshift-image-registry}\n`).join('---\n')]],
  'routes of one Config': (n) => [['kustomization.yaml', ''], ['c.yaml', `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec:\n  storage: {emptyDir: {}}\n  routes:\n${lines(n, (i) => `  - {name: r${i}}`)}\n`]],
  'Deployments beside NetworkPolicies': (n) => [['kustomization.yaml', ''], ['all.yaml', Array.from({ length: n / 20 }, (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: openshift-image-registry}\nspec:\n  selector: {matchLabels: {app: d${i}}}\n  template:\n    metadata: {labels: {app: d${i}}}\n    spec: {containers: [{name: c, image: x}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n${i}, namespace: openshift-image-registry}\nspec: {podSelector: {matchLabels: {app: d${i}}}, policyTypes: [Egress], egress: [{}]}\n`).join('---\n')]],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(files: [string, string][]): number {
  const start = process.hrtime.bigint();
  validateTree(new Map(files), { schemas });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const flag = process.argv.indexOf('--rounds');
const rounds = flag >= 0 ? Number(process.argv[flag + 1]) : 5;
const small = 15_000;
console.log(`| shape | ${small} items, median ms | ${small * 4} items, median ms | ratio (linear: 4) |`);
console.log('|---|---:|---:|---:|');
for (const [name, shape] of Object.entries(SHAPES)) {
  const inputs = [shape(small), shape(small * 4)];
  time(inputs[0]); // warm up: the schemas load on first use
  const times: number[][] = [[], []];
  for (let r = 0; r < rounds; r++) inputs.forEach((files, i) => times[i].push(time(files)));
  const [a, b] = times.map(median);
  console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
}

// Synth and diff on large maps: the typed imports' toJson copied the map for each key, and the
// `yaml` package's duplicate-key check compares each key with the ones before it (both quadratic).
const LARGE_MAPS: Record<string, [number, (n: number) => () => unknown]> = {
  'synth: nodeSelector keys': [2_000, (n) => {
    const text = `name: big\nregistry:\n  storage: {pvc: {name: image-registry-pvc}}\n  nodeSelector:\n${lines(n, (i) => `    example.com/k${i}: v`)}\n`;
    return () => synthesizeCluster(parseConfigText(text, 'big.yaml'));
  }],
  'diff: keys of one map in a dist file': [10_000, (n) => {
    const before = new Map([['big/c.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata:\n${lines(n, (i) => `  k${i}: v`)}\n`]]);
    return () => diffOutputs(before, new Map());
  }],
};
console.log('');
console.log('| shape | n, median ms | 4n, median ms | ratio (linear: 4) |');
console.log('|---|---:|---:|---:|');
for (const [name, [n, make]] of Object.entries(LARGE_MAPS)) {
  const runs = [make(n), make(n * 4)];
  runs[0]();
  const times: number[][] = [[], []];
  for (let r = 0; r < rounds; r++) runs.forEach((run, i) => {
    const start = process.hrtime.bigint();
    run();
    times[i].push(Number(process.hrtime.bigint() - start) / 1e6);
  });
  const [a, b] = times.map(median);
  console.log(`| ${name} (n = ${n}) | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
}
