import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../rules/validation-error';

/**
 * Throws when the chart of `scope` already has a `kind` object named `name`. The cluster-wide
 * objects (the registry Config, the ImagePruner, the image config) exist once per cluster: a
 * second one in the same output would be refused by kustomize, or would silently win an apply.
 */
export function checkFirstInChart(scope: IConstruct, apiVersion: string, kind: string, name: string): void {
  // Any version of the kind: the cluster stores one object whatever version wrote it.
  const group = apiVersion.split('/')[0];
  const taken = Chart.of(scope).node.findAll()
    .some((c) => ApiObject.isApiObject(c) && c.apiVersion.split('/')[0] === group && c.kind === kind && c.name === name);
  if (taken) {
    throw new ValidationError(scope.node.id, `chart ${Chart.of(scope).node.id} already has the ${kind} ${name}: a cluster has one, and kustomize refuses two objects of one name; make one per cluster, each cluster in a chart of its own`);
  }
}
