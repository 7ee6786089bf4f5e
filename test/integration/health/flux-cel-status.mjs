// Evaluates Flux healthCheckExprs the way kustomize-controller does, with fluxcd/pkg runtime/cel
// (v0.110, kustomize-controller v1.9): status_evaluator.go StatusEvaluator.Evaluate and
// expression.go NewExpression. Reads {check, objects} as JSON on stdin and writes one result per
// object: 'InProgress', 'Failed', 'Current', or 'error' when an expression cannot be evaluated
// (Flux then reports the object's status as Unknown and polls again until the timeout).
import { Environment } from '@marcbachmann/cel-js';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

// NewExpression parses each expression (env.Parse, never env.Compile) in an environment with
// cel.OptionalTypes, cel.CrossTypeNumericComparisons, cel.HomogeneousAggregateLiterals,
// cel.DefaultUTCTimeZone and ext.Strings, ext.Sets, ext.Encoders. As they are parsed only:
// - no variable is declared: the object's top-level fields are the variables, so a missing one
//   (an object without `status`) fails the evaluation: unlistedVariablesAreDyn;
// - HomogeneousAggregateLiterals is an AST validator (cel-go cel/options.go), run by the type
//   checker only: mixed lists are allowed, homogeneousAggregateLiterals false.
// cel-js orders int and double values across types as CrossTypeNumericComparisons does, and
// compares dynamic values of different types as unequal, as cel-go does. It cannot be given
// ext.Strings' charAt, format, quote, replace, reverse and strings.quote, ext.Sets (sets.contains,
// sets.equivalent, sets.intersects) or ext.Encoders (base64.encode, base64.decode), and it has
// functions cel-go lacks: health-checks.test.ts checks that the expressions call only functions
// both have alike (MODELED_FUNCTIONS).
const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true, homogeneousAggregateLiterals: false });

/**
 * The object as cel-go sees it: kustomize-controller reads it into unstructured.Unstructured, so
 * an integer is an int64 (CEL int: BigInt for cel-js) and any other number a float64 (double).
 */
function celValue(value) {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  return value;
}

/** unstructured.NestedInt64: the value when it is an int64, else undefined. */
function nestedInt64(object, ...path) {
  const value = path.reduce((v, key) => (v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined), object);
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? value : undefined;
}

// RFC 0009's order, as Evaluate tries them: the first true one wins; none true is InProgress.
const ORDER = [['inProgress', 'InProgress'], ['failed', 'Failed'], ['current', 'Current']];

function evaluate(check, object) {
  // Before any expression: an int64 status.observedGeneration other than an int64
  // metadata.generation is InProgress; any other value skips this check (fluxcd/pkg 3619c73,
  // runtime v0.105; before it, a value that is not an int64 failed the evaluation).
  const observed = nestedInt64(object, 'status', 'observedGeneration');
  const generation = nestedInt64(object, 'metadata', 'generation');
  if (observed !== undefined && generation !== undefined && observed !== generation) return 'InProgress';
  const data = celValue(object);
  try {
    for (const [field, status] of ORDER) {
      if (!check[field]) continue;
      const result = env.evaluate(check[field], data);
      // EvaluateBoolean: a result that is not a bool is an error.
      if (typeof result !== 'boolean') return 'error';
      if (result) return status;
    }
  } catch {
    return 'error';
  }
  return 'InProgress';
}

process.stdout.write(JSON.stringify(input.objects.map((object) => evaluate(input.check, object))));
