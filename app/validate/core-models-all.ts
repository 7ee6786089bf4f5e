// Every kind of the Kubernetes API groups and versions that OpenShift 4.12 and later serve as
// GA (Kubernetes 1.25 and later), for `validate` on any folder of manifests.
import * as admissionregistrationV1 from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as apiextensionsV1 from 'kubernetes-models/apiextensions.k8s.io/v1';
import * as apiregistrationV1 from 'kubernetes-models/apiregistration.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV1 from 'kubernetes-models/autoscaling/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as certificatesV1 from 'kubernetes-models/certificates.k8s.io/v1';
import * as coordinationV1 from 'kubernetes-models/coordination.k8s.io/v1';
import * as discoveryV1 from 'kubernetes-models/discovery.k8s.io/v1';
import * as eventsV1 from 'kubernetes-models/events.k8s.io/v1';
import * as flowcontrolV1 from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as nodeV1 from 'kubernetes-models/node.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as schedulingV1 from 'kubernetes-models/scheduling.k8s.io/v1';
import * as storageV1 from 'kubernetes-models/storage.k8s.io/v1';
import * as v1 from 'kubernetes-models/v1';
import { CoreModels } from './core-schemas';

/** Only the kinds of a module (a class whose static `kind` is its name), not the types inside them. */
function kinds(module: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(module).filter(([name, model]) => (model as { kind?: unknown }).kind === name));
}

export const ALL_CORE_MODELS: CoreModels = {
  'v1': kinds(v1),
  'admissionregistration.k8s.io/v1': kinds(admissionregistrationV1),
  'apiextensions.k8s.io/v1': kinds(apiextensionsV1),
  'apiregistration.k8s.io/v1': kinds(apiregistrationV1),
  'apps/v1': kinds(appsV1),
  'autoscaling/v1': kinds(autoscalingV1),
  'autoscaling/v2': kinds(autoscalingV2),
  'batch/v1': kinds(batchV1),
  'certificates.k8s.io/v1': kinds(certificatesV1),
  'coordination.k8s.io/v1': kinds(coordinationV1),
  'discovery.k8s.io/v1': kinds(discoveryV1),
  'events.k8s.io/v1': kinds(eventsV1),
  'flowcontrol.apiserver.k8s.io/v1': kinds(flowcontrolV1),
  'networking.k8s.io/v1': kinds(networkingV1),
  'node.k8s.io/v1': kinds(nodeV1),
  'policy/v1': kinds(policyV1),
  'rbac.authorization.k8s.io/v1': kinds(rbacV1),
  'scheduling.k8s.io/v1': kinds(schedulingV1),
  'storage.k8s.io/v1': kinds(storageV1),
};
