// cdk8s import writes every toJson_* with `reduce((r, i) => ... ({ ...r, [i[0]]: VALUE }), {})`,
// which copies the object built so far for each key: quadratic in a map's size (8000 nodeSelector
// keys took 40 s). This rewrites it to add each key in place, in the same order and as an own
// property (a `__proto__` key stays a key, as with the spread), so it is linear. VALUE is one of
// the few forms cdk8s writes (`i[1]`, `i[1]?.value`, `toJson_X(i[1])`): no braces.
//
// Each toJson_* (440 in cdk8s-plus-28's k8s.js) also ends with that reduce, over
// `Object.entries(result)`: every field of its type, most of them undefined. Made linear the
// same way (a `defineProperty` per field kept), those filters were 13% of the CPU of a
// 1000-cluster synth. `result` is a literal the function has just made, whose own properties are
// plain data, so reading its keys and then its values reads what `Object.entries` would: the
// filter becomes `definedFields(result)`.
const QUADRATIC = /\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: ([^{}]+?) \}\), \{\}\)/g;
const LINEAR = '(r, i) => (i[1] === undefined) ? r : setOwnProperty(r, i[0], $1), {})';
const STRUCT = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';

/**
 * The helpers the rewritten code calls, at the end of the module (function declarations: hoisted).
 * Any key found on Object.prototype (`__proto__`, `constructor`, anything a library added) is
 * defined, not assigned: assigning `__proto__` would change the object's prototype instead of
 * adding a key, assigning another would run its setter or fail where the prototype is frozen.
 * Any other key is assigned, which makes the same own data property, faster.
 */
const HELPERS = {
  js: `
/** The fields of \`result\` that are not undefined, in order, as own data properties. */
function definedFields(result) {
  const r = {};
  for (const key of Object.keys(result)) {
    const value = result[key];
    if (value !== undefined) setOwnProperty(r, key, value);
  }
  return r;
}
/** \`r\` with \`value\` as its own enumerable, writable, configurable property \`key\`. */
function setOwnProperty(r, key, value) {
  if (key in r) Object.defineProperty(r, key, { value, enumerable: true, writable: true, configurable: true });
  else r[key] = value;
  return r;
}
`,
  ts: `
/** The fields of \`result\` that are not undefined, in order, as own data properties. */
function definedFields(result: { [key: string]: any }): { [key: string]: any } {
  const r: { [key: string]: any } = {};
  for (const key of Object.keys(result)) {
    const value = result[key];
    if (value !== undefined) setOwnProperty(r, key, value);
  }
  return r;
}
/** \`r\` with \`value\` as its own enumerable, writable, configurable property \`key\`. */
function setOwnProperty(r: { [key: string]: any }, key: string, value: unknown): { [key: string]: any } {
  if (key in r) Object.defineProperty(r, key, { value, enumerable: true, writable: true, configurable: true });
  else r[key] = value;
  return r;
}
`,
};

/**
 * `source` (a module cdk8s import wrote, TypeScript or the JavaScript of cdk8s-plus's imports)
 * with every quadratic toJson reduce made linear and each struct's filter made direct; the count
 * tells a caller it matched.
 */
export function linearToJsonMaps(source, { typescript = false } = {}) {
  const parts = source.split(STRUCT);
  let count = parts.length - 1;
  const code = parts.join('return definedFields(result);').replace(QUADRATIC, (...match) => {
    count += 1;
    return LINEAR.replace('$1', () => match[1]);
  });
  return count === 0 ? { code, count } : { code: code + HELPERS[typescript ? 'ts' : 'js'], count };
}
