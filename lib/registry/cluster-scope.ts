import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../rules/validation-error';

/**
 * The construct that holds what one cluster gets: the App's child on the path to `scope`. That is
 * the cluster's chart when each cluster has one (several clusters in one App), or a construct
 * that groups one cluster's charts (a chart per stage, as this project's app writes them). The
 * operator's rules that look at other objects (the claim, the store's Service, the credentials)
 * look only in here, so that one cluster's objects never decide another cluster's verdict.
 */
export function clusterScope(scope: IConstruct): IConstruct {
  const [root, top] = scope.node.scopes;
  // A chart at the root (no App above it) is the cluster itself.
  return Chart.isChart(root) || top === undefined ? root : top;
}

/** The API objects of `scope`'s cluster made so far. */
export function clusterObjects(scope: IConstruct): ApiObject[] {
  return clusterScope(scope).node.findAll().filter(ApiObject.isApiObject);
}

/**
 * Throws when `scope`'s cluster already has a `kind` object named `name`. The cluster-wide objects
 * (the registry Config, the ImagePruner, the image config) exist once per cluster: a second one in
 * the same output would be refused by kustomize, or would silently win an apply.
 */
export function checkFirstInCluster(scope: IConstruct, apiVersion: string, kind: string, name: string): void {
  // Any version of the kind: the cluster stores one object whatever version wrote it.
  const group = apiVersion.split('/')[0];
  const taken = clusterObjects(scope).some((o) => o.apiVersion.split('/')[0] === group && o.kind === kind && o.name === name);
  if (taken) {
    const cluster = clusterScope(scope).node;
    throw new ValidationError(scope.node.id, `cluster ${cluster.path || cluster.id} already has the ${kind} ${name}: a cluster has one, and kustomize refuses two objects of one name; make one per cluster, each cluster in a chart (or a construct holding its charts) of its own under the App`);
  }
}
