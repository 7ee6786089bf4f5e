// Evaluates Flux healthCheckExprs the way kustomize-controller does (fluxcd/pkg runtime/cel
// StatusEvaluator): an int status.observedGeneration other than metadata.generation is InProgress;
// then inProgress, failed and current are tried in that order, the first true one wins, and none
// true is InProgress. An expression that cannot be evaluated is reported as 'error'.
// Reads {check, objects} as JSON on stdin, writes one result per object as JSON.
import { Environment } from '@marcbachmann/cel-js';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

// The options Flux's CEL environment has that matter here: optional types; objects are dynamic.
const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
const order = [['inProgress', 'InProgress'], ['failed', 'Failed'], ['current', 'Current']];

function evaluate(check, object) {
  const observed = object.status?.observedGeneration;
  const generation = object.metadata?.generation;
  if (Number.isInteger(observed) && Number.isInteger(generation) && observed !== generation) return 'InProgress';
  try {
    for (const [field, status] of order) {
      if (check[field] === undefined) continue;
      const result = env.evaluate(check[field], object);
      if (typeof result !== 'boolean') return 'error';
      if (result) return status;
    }
  } catch {
    return 'error';
  }
  return 'InProgress';
}

process.stdout.write(JSON.stringify(input.objects.map((object) => evaluate(input.check, object))));
