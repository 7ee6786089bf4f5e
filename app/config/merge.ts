/**
 * Fleet defaults under a cluster config. Maps merge key by key (the cluster wins), lists and
 * scalars from the cluster replace the defaults' whole, and `null` in the cluster removes a key
 * inherited from the defaults (a `null` for any other key stays, and the schema reports it).
 *
 * Keys are defined, never assigned, and only own keys count: a key such as `__proto__` or
 * `constructor` stays a plain key and can never bring in a prototype or inherited values.
 */
export function mergeDefaults(defaults: unknown, cluster: unknown): unknown {
  if (!isMap(defaults) || !isMap(cluster)) return cluster;
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) define(merged, key, value);
  for (const [key, value] of Object.entries(cluster)) {
    const inherited = Object.hasOwn(defaults, key);
    if (value === null && inherited) delete merged[key];
    else define(merged, key, inherited ? mergeDefaults(defaults[key], value) : value);
  }
  return merged;
}

function define(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
