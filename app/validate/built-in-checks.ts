// What the API server checks of built-in kinds beyond their OpenAPI schema (the Go validation in
// kubernetes pkg/apis/*/validation), for the kinds registry setups write.
import { SchemaProblem } from './crd-schemas';
import { asList, asMap, Obj, quote } from '../../lib/rules/shapes';

/** k8s.io/apimachinery/pkg/util/validation IsConfigMapKey: also the keys of a Secret. */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_MAP_KEY_MAX = 253;

/** Problems of a built-in object that its schema does not show. */
export function builtInProblems(object: Obj): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const group = typeof object.apiVersion === 'string' && object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  if (group === '' && (object.kind === 'ConfigMap' || object.kind === 'Secret')) {
    for (const field of object.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']) {
      for (const key of Object.keys(asMap(object[field]))) {
        if (key.length <= CONFIG_MAP_KEY_MAX && CONFIG_MAP_KEY.test(key) && key !== '.' && key !== '..' && !key.startsWith('..')) continue;
        problems.push({ field: `${field}.${key}`, message: `${quote(key)} is not a valid key: use letters, digits, '-', '_' and '.' (a registry's host:port is written host..port), at most ${CONFIG_MAP_KEY_MAX} characters, not starting with '..' (the API server refuses the object)` });
      }
    }
  }
  // rbac/validation ValidateRoleBindingSubject: a ServiceAccount of a cluster-wide binding names its namespace.
  if (group === 'rbac.authorization.k8s.io' && object.kind === 'ClusterRoleBinding') {
    asList(object.subjects).map(asMap).forEach((subject, i) => {
      if (subject.kind === 'ServiceAccount' && !subject.namespace) problems.push({ field: `subjects[${i}].namespace`, message: 'is required for a ServiceAccount in a ClusterRoleBinding (the API server refuses it)' });
    });
  }
  return problems;
}
