// Writes the Argo CD health checks (health/argocd/*.lua) into the two install examples of
// docs/gitops.md, so that the examples hold the shipped scripts byte for byte:
//   node scripts/write-health-examples.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const group = 'imageregistry.operator.openshift.io';
const kinds = ['Config', 'ImagePruner'];
const script = (kind) => readFileSync(join(root, 'health', 'argocd', `${group}_${kind}.lua`), 'utf8');
// A YAML literal block (`|`) at this indent; blank lines stay empty.
const block = (text, spaces) => text.split('\n').map((line) => (line ? ' '.repeat(spaces) + line : line)).join('\n');

const argocdCm = `# Argo CD: the registry's health checks as an argocd-cm patch (upstream Argo CD; on OpenShift
# GitOps use docs/examples/openshift-gitops-health-checks.yaml instead: its operator owns argocd-cm).
#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file docs/examples/argocd-health-checks.yaml
# The scripts are health/argocd/*.lua, byte for byte (written by scripts/write-health-examples.mjs).
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
${kinds.map((kind) => `  resource.customizations.health.${group}_${kind}: |\n${block(script(kind), 4)}`).join('')}`;

const openshiftGitops = `# OpenShift GitOps: the registry's health checks in the ArgoCD resource (the operator writes them
# into argocd-cm as resource.customizations.health.<group>_<kind>). A merge patch replaces the
# whole list: if spec.resourceHealthChecks already has entries, add these two to it instead.
#   oc -n openshift-gitops patch argocd openshift-gitops --type merge --patch-file docs/examples/openshift-gitops-health-checks.yaml
# The scripts are health/argocd/*.lua, byte for byte (written by scripts/write-health-examples.mjs).
apiVersion: argoproj.io/v1beta1
kind: ArgoCD
metadata:
  name: openshift-gitops
  namespace: openshift-gitops
spec:
  resourceHealthChecks:
${kinds.map((kind) => `    - group: ${group}\n      kind: ${kind}\n      check: |\n${block(script(kind), 8)}`).join('')}`;

writeFileSync(join(root, 'docs', 'examples', 'argocd-health-checks.yaml'), argocdCm);
writeFileSync(join(root, 'docs', 'examples', 'openshift-gitops-health-checks.yaml'), openshiftGitops);
