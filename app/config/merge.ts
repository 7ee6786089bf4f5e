/**
 * Fleet defaults under a cluster config. Maps merge key by key (the cluster wins), lists and
 * scalars from the cluster replace the defaults' whole, and `null` in the cluster removes a key
 * inherited from the defaults (a `null` for any other key stays, and the schema reports it).
 */
export function mergeDefaults(defaults: unknown, cluster: unknown): unknown {
  if (!isMap(defaults) || !isMap(cluster)) return cluster;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(cluster)) {
    if (value === null && key in defaults) delete merged[key];
    else merged[key] = key in defaults ? mergeDefaults(defaults[key], value) : value;
  }
  return merged;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
