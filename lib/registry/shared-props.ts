// The types of props that several constructs share, for lib/rules/prop-types.ts: the pod
// placement of the registry Config and the ImagePruner, and the registry's routes.
import type {
  ConfigSpecResources, ConfigSpecResourcesClaims, ConfigSpecResourcesLimits, ConfigSpecRoutes, ConfigSpecTolerations,
} from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { is } from '../rules/prop-types';
import { isMap } from '../rules/shapes';

/** A quantity of the typed import (`ConfigSpecResourcesLimits.fromString('1Gi')`): an object holding `value`. */
const quantity = is.matching<ConfigSpecResourcesLimits>('map', 'a quantity such as { value: "100m" } (ConfigSpecResourcesLimits.fromString("100m"))',
  (v) => isMap(v) && (typeof v.value === 'string' || typeof v.value === 'number'));

export const RESOURCES = is.shape<ConfigSpecResources>({
  requests: is.mapOf(quantity),
  limits: is.mapOf(quantity),
  claims: is.listOf(is.shape<ConfigSpecResourcesClaims>({ name: is.string.isRequired, request: is.string })),
});

export const NODE_SELECTOR = is.mapOf(is.string);

export const TOLERATIONS = is.listOf(is.shape<ConfigSpecTolerations>({
  effect: is.string, key: is.string, operator: is.string, tolerationSeconds: is.number, value: is.string,
}));

/** A route to the registry (`RegistryRoute`). */
export const ROUTE = is.shape<ConfigSpecRoutes>({ name: is.string.isRequired, hostname: is.string, secretName: is.string });
