// An esbuild rewrite of cdk8s's resolve (cdk8s/lib/resolve.js) for the CLI's bundle. resolve runs
// once for every value of every object cdk8s renders, and each time:
// - looks up the object's App by walking the construct tree to its root (`App.of`), for the App's
//   resolvers. An object's App never changes, so this looks it up once per object (a WeakMap): in
//   a fleet of 1000 clusters, 5% less CPU;
// - makes a context object and a key path, and calls each resolver. An App with cdk8s's own three
//   resolvers only (the CLI's) has each object rendered by resolveBuiltIn instead, which does what
//   those three do, in their order, without either (only a resolver of the App's own reads the
//   key): 5% less CPU again. The App's resolvers are read once per object rendered, as cdk8s
//   reads them on each value; none of this project's code changes them while rendering.
// The output is byte-identical.
const LOOKUP = 'const resolvers = app_1.App.of(apiObject).resolvers;';
const CACHED = `const resolvers = resolversOf(apiObject);
    if (key.length === 0 && isBuiltIn(resolvers)) return resolveBuiltIn(value);`;
const HELPER = `
const resolversByObject = new WeakMap();
function resolversOf(apiObject) {
    let resolvers = resolversByObject.get(apiObject);
    if (resolvers === undefined) {
        resolvers = app_1.App.of(apiObject).resolvers;
        resolversByObject.set(apiObject, resolvers);
    }
    return resolvers;
}
// The built-in resolvers' methods as this module defined them: a resolver that is another class,
// or whose method was replaced, is the App's own, and the object is resolved as cdk8s does.
const BUILT_IN = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver].map((c) => [c, c.prototype.resolve]);
function isBuiltIn(resolvers) {
    return resolvers.length === BUILT_IN.length
        && resolvers.every((r, i) => Object.getPrototypeOf(r) === BUILT_IN[i][0].prototype && r.resolve === BUILT_IN[i][1]);
}
function resolveBuiltIn(value) {
    if (value == null) {
        return value;
    }
    if (value instanceof lazy_1.Lazy) {
        return resolveBuiltIn(value.produce());
    }
    if (typeof (value.resolve) === 'function') {
        return resolveBuiltIn(value.resolve());
    }
    if (value.constructor !== Object && NumberStringUnionResolver.TYPES.includes(typeof (value.value))) {
        return resolveBuiltIn({ value: value.value });
    }
    if (Array.isArray(value)) {
        return value.map((x) => resolveBuiltIn(x));
    }
    if (value.constructor == Object) {
        const result = {};
        for (const [k, v] of Object.entries(value)) {
            result[k] = resolveBuiltIn(v);
        }
        return result;
    }
    return value;
}
`;

// What resolveBuiltIn mirrors, as cdk8s 2.70 writes it (whitespace aside): the three resolvers'
// methods and resolve's own walk. A cdk8s that writes any of it otherwise is not rewritten.
const MIRRORED = [
  `const lazy_1 = require("./lazy");`,
  `class LazyResolver { static [JSII_RTTI_SYMBOL_1] = { fqn: "cdk8s.LazyResolver", version: "VERSION" }; resolve(context) {
    if (context.value instanceof lazy_1.Lazy) { const resolved = context.value.produce(); context.replaceValue(resolved); } } }`,
  `class ImplicitTokenResolver { static [JSII_RTTI_SYMBOL_1] = { fqn: "cdk8s.ImplicitTokenResolver", version: "VERSION" }; resolve(context) {
    if (typeof (context.value.resolve) === 'function') { const resolved = context.value.resolve(); context.replaceValue(resolved); } } }`,
  `class NumberStringUnionResolver { static [JSII_RTTI_SYMBOL_1] = { fqn: "cdk8s.NumberStringUnionResolver", version: "VERSION" }; static TYPES = ['number', 'string'];
    resolve(context) { if (context.value.constructor === Object) { // we only want to resolve union classes, not plain dictionaries
    return; } if (NumberStringUnionResolver.TYPES.includes(typeof (context.value.value))) { // replace with a dictionary because the L1 proceeds to access the .value
    // property after resolution. context.replaceValue({ value: context.value.value }); } } }`,
  `${LOOKUP} if (value == null) { return value; } // give dibs to the resolvers as they are more specific
    const context = new ResolutionContext(apiObject, key, value); for (const resolver of resolvers) { resolver.resolve(context); if (context.replaced) {
    // stop when the first resolver replaces the value. return resolve(key, context.replacedValue, apiObject); } }
    // array - resolve each element if (Array.isArray(value)) { return value.map((x, i) => resolve([...key, \`\${i}\`], x, apiObject)); }
    // dictionrary - resolve leafs if (value.constructor == Object) { const result = {}; for (const [k, v] of Object.entries(value)) {
    result[k] = resolve([...key, k], v, apiObject); } return result; } return value; }`,
];

const squeezed = (text) => text.replace(/\s+/g, ' ').replace(/version: "[^"]*"/g, 'version: "VERSION"');

/**
 * `source` (cdk8s/lib/resolve.js) with its App lookup cached per object and the fast path for
 * cdk8s's own resolvers; count is 1 when it was rewritten, 0 when the source is not the one
 * mirrored here (see MIRRORED).
 */
export function fasterResolve(source) {
  const text = squeezed(source);
  const count = source.split(LOOKUP).length - 1 === 1 && MIRRORED.every((part) => text.includes(squeezed(part))) ? 1 : 0;
  return count ? { code: `${source.replace(LOOKUP, CACHED)}${HELPER}`, count } : { code: source, count };
}
