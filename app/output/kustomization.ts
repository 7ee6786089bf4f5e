import { toYaml } from './to-yaml';

/** A kustomization.yaml that lists `resources` (paths relative to its folder), in that order. */
export function kustomizationYaml(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}
