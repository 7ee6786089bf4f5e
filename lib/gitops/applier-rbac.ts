import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppliedResource, applierPermissions, OutputObject, PolicyRule } from './applier-permissions';
import { APPLIER_RBAC_LABEL, GitOpsTools } from './gitops-annotations';
import { checkDnsLabel, checkDnsSubdomain } from '../rules/kubernetes';
import { checkProps, is, propTypes } from '../rules/prop-types';

/** A ServiceAccount, by namespace and name. */
export interface ServiceAccountReference {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The application controller of OpenShift GitOps' default Argo CD instance (`openshift-gitops` in
 * namespace `openshift-gitops`): argocd-operator names it `<instance>-argocd-application-controller`
 * (`controllers/argocd/service_account.go`, `role.go` generateResourceName).
 */
export const OPENSHIFT_GITOPS_APPLICATION_CONTROLLER: ServiceAccountReference = {
  namespace: 'openshift-gitops',
  name: 'openshift-gitops-argocd-application-controller',
};

/** Prefix of the ClusterRole, Roles and their bindings. */
export const APPLIER_RBAC_PREFIX = 'image-registry-applier';

export interface ApplierRbacProps {
  /** What the service account applies: the output's objects, as JSON (`Chart.toJson()` of each chart). */
  readonly objects: readonly OutputObject[];
  /**
   * The service account that applies them.
   * @default OPENSHIFT_GITOPS_APPLICATION_CONTROLLER (OpenShift GitOps' default instance)
   */
  readonly serviceAccount?: ServiceAccountReference;
  /**
   * The tools that apply the objects, with the annotations written for them (addGitOpsAnnotations):
   * what they send follows from those (a claim Flux never prunes needs no `delete` for Flux).
   * @default GitOpsTools.BOTH
   */
  readonly gitOpsTools?: GitOpsTools;
  /**
   * Kinds among `objects` that this library does not write (an ImageDigestMirrorSet, a
   * ServiceMonitor), by `Kind.group` (`Kind` for the core group): their resource name as the API
   * names it, and whether they are namespaced.
   * @default - none: an object of a kind the library does not know is an error naming it
   */
  readonly resources?: Readonly<Record<string, AppliedResource>>;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<ApplierRbacProps>('ApplierRbac', {
  objects: is.listOf(is.shape<OutputObject>({
    apiVersion: is.string.isRequired,
    kind: is.string.isRequired,
    metadata: is.shape<OutputObject['metadata']>({ name: is.string, namespace: is.string, labels: is.mapOf(is.string), annotations: is.mapOf(is.string) }).isRequired,
    rules: is.listOf(is.map<PolicyRule>()),
    roleRef: is.shape<NonNullable<OutputObject['roleRef']>>({ kind: is.string.isRequired, name: is.string.isRequired }),
  })).isRequired,
  serviceAccount: is.shape<ServiceAccountReference>({ namespace: is.string.isRequired, name: is.string.isRequired }),
  gitOpsTools: is.oneOf(Object.values(GitOpsTools), 'GitOpsTools'),
  resources: is.mapOf(is.shape<AppliedResource>({ resource: is.string.isRequired, namespaced: is.boolean.isRequired })),
});

/**
 * The rights a GitOps tool needs to apply `objects`, and no more (see applierPermissions): a
 * ClusterRole for the cluster-scoped kinds and a Role in each namespace, each bound to the service
 * account. OpenShift GitOps' default instance may write some groups cluster-wide, but not the
 * registry operator's, nor Secrets, Jobs, Deployments, Routes or ExternalSecrets outside the
 * namespaces it manages (redhat-developer/gitops-operator `controllers/argocd/openshift/openshift.go`
 * policyRulesForClusterConfig): without these, its first sync fails with "forbidden".
 *
 * The roles are named after a hash of their rules: a change of rights adds new roles and prunes
 * the old ones, in the earliest wave, which Argo CD prunes last (it reverses the waves for pruning,
 * gitops-engine `pkg/sync/sync_context.go`), so the old rights still cover the objects a change
 * prunes (a kind that leaves a namespace, a renamed object).
 */
export class ApplierRbac extends Construct {
  /** The rules granted, cluster-wide and per namespace. */
  public readonly clusterRules: PolicyRule[];
  public readonly namespaceRules: Readonly<Record<string, PolicyRule[]>>;

  constructor(scope: Construct, id: string, props: ApplierRbacProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    const account = props.serviceAccount ?? OPENSHIFT_GITOPS_APPLICATION_CONTROLLER;
    checkDnsLabel('serviceAccount.namespace', account.namespace);
    checkDnsSubdomain('serviceAccount.name', account.name);
    const tools = props.gitOpsTools ?? GitOpsTools.BOTH;
    const { cluster, namespaces } = applierPermissions(props.objects, tools, props.resources);
    this.clusterRules = cluster;
    this.namespaceRules = namespaces;

    const subjects = [{ kind: 'ServiceAccount', name: account.name, namespace: account.namespace }];
    const labels = { 'app.kubernetes.io/name': APPLIER_RBAC_PREFIX, ...APPLIER_RBAC_LABEL };
    if (cluster.length) {
      const name = roleName(cluster);
      new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name, labels }, rules: cluster });
      new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects,
      });
    }
    for (const [namespace, rules] of Object.entries(namespaces)) {
      const name = roleName(rules);
      new k8s.KubeRole(this, `Role-${namespace}`, { metadata: { name, namespace, labels }, rules });
      new k8s.KubeRoleBinding(this, `RoleBinding-${namespace}`, {
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects,
      });
    }
  }
}

/** `image-registry-applier-<first 10 hex digits of the rules' sha256>`. */
function roleName(rules: readonly PolicyRule[]): string {
  return `${APPLIER_RBAC_PREFIX}-${createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 10)}`;
}
