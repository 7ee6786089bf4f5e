// cdk8s import writes every toJson_* with `reduce((r, i) => ... ({ ...r, [i[0]]: VALUE }), {})`,
// which copies the object built so far for each key: quadratic in a map's size (8000 nodeSelector
// keys took 40 s). This rewrites it to add each key in place, in the same order and as an own
// property (a `__proto__` key stays a key, as with the spread), so it is linear. VALUE is one of
// the few forms cdk8s writes (`i[1]`, `i[1]?.value`, `toJson_X(i[1])`): no braces.
const QUADRATIC = /\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: ([^{}]+?) \}\), \{\}\)/g;
const LINEAR = '(r, i) => (i[1] === undefined) ? r : Object.defineProperty(r, i[0], { value: $1, enumerable: true, writable: true, configurable: true }), {})';

/** `source` with every quadratic toJson reduce made linear; the count tells a caller it matched. */
export function linearToJsonMaps(source) {
  let count = 0;
  const code = source.replace(QUADRATIC, (...match) => {
    count += 1;
    return LINEAR.replace('$1', () => match[1]);
  });
  return { code, count };
}
