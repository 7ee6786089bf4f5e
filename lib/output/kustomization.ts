import { stringify } from 'yaml';

/** A kustomization.yaml that lists `resources` (paths relative to its folder), in that order. */
export function kustomizationYaml(resources: readonly string[]): string {
  return stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}
