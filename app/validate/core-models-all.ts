// Every kind of the Kubernetes API groups and versions that OpenShift 4.12 and later serve as
// GA (Kubernetes 1.25 and later), for `validate` on any folder of manifests.
/* eslint-disable @typescript-eslint/no-require-imports */
import { CoreModels } from './core-schemas';

/** Only the kinds of a module (a class whose static `kind` is its name), not the types inside them. */
function kinds(module: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(module).filter(([name, model]) => (model as { kind?: unknown }).kind === name));
}

/**
 * Each group's module is loaded on first use: all of them take about a second to load, and a run
 * (or a test file) usually meets a few groups. `require` with a literal name: esbuild bundles it.
 */
function lazyGroups(loaders: Record<string, () => Record<string, unknown>>): CoreModels {
  const models: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [groupVersion, load] of Object.entries(loaders)) {
    let loaded: Record<string, unknown> | undefined;
    Object.defineProperty(models, groupVersion, { enumerable: true, get: () => (loaded ??= kinds(load())) });
  }
  return models;
}

export const ALL_CORE_MODELS: CoreModels = lazyGroups({
  'v1': () => require('kubernetes-models/v1'),
  'admissionregistration.k8s.io/v1': () => require('kubernetes-models/admissionregistration.k8s.io/v1'),
  'apiextensions.k8s.io/v1': () => require('kubernetes-models/apiextensions.k8s.io/v1'),
  'apiregistration.k8s.io/v1': () => require('kubernetes-models/apiregistration.k8s.io/v1'),
  'apps/v1': () => require('kubernetes-models/apps/v1'),
  'autoscaling/v1': () => require('kubernetes-models/autoscaling/v1'),
  'autoscaling/v2': () => require('kubernetes-models/autoscaling/v2'),
  'batch/v1': () => require('kubernetes-models/batch/v1'),
  'certificates.k8s.io/v1': () => require('kubernetes-models/certificates.k8s.io/v1'),
  'coordination.k8s.io/v1': () => require('kubernetes-models/coordination.k8s.io/v1'),
  'discovery.k8s.io/v1': () => require('kubernetes-models/discovery.k8s.io/v1'),
  'events.k8s.io/v1': () => require('kubernetes-models/events.k8s.io/v1'),
  'flowcontrol.apiserver.k8s.io/v1': () => require('kubernetes-models/flowcontrol.apiserver.k8s.io/v1'),
  'networking.k8s.io/v1': () => require('kubernetes-models/networking.k8s.io/v1'),
  'node.k8s.io/v1': () => require('kubernetes-models/node.k8s.io/v1'),
  'policy/v1': () => require('kubernetes-models/policy/v1'),
  'rbac.authorization.k8s.io/v1': () => require('kubernetes-models/rbac.authorization.k8s.io/v1'),
  'scheduling.k8s.io/v1': () => require('kubernetes-models/scheduling.k8s.io/v1'),
  'storage.k8s.io/v1': () => require('kubernetes-models/storage.k8s.io/v1'),
});
