import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageConfigConfig, RegistryConfig } from '../config/schema';
import { ImageConfig } from '../../lib/openshift/image-config';
import { asConfigField, configWarnings } from './config-fields';
import { OpenShiftVersion } from '../../lib/rules/openshift-version';
import { ValidationError } from '../../lib/rules/validation-error';

export interface ImageConfigChartProps {
  /** The `imageConfig` section of a cluster config. */
  readonly imageConfig: ImageConfigConfig;
  /** The registry's routes, which `publicRoute` names. */
  readonly routes: RegistryConfig['routes'];
  /** The cluster's OpenShift minor: the Image CRD's rules differ by version. */
  readonly openshiftVersion?: OpenShiftVersion;
}

/**
 * images.config.openshift.io/cluster from the `imageConfig` section: only the fields it sets.
 * Route hostnames are not copied into it by default: the registry operator publishes them in the
 * object's status itself (default route first), and the cluster puts spec's hostnames before
 * status's, so a copy would only change which hostname image streams show.
 */
export class ImageConfigChart extends Chart {
  public readonly imageConfig: ImageConfig;
  /** What the rules say without refusing: [config field, message]. */
  public readonly warnings: readonly [string, string][];

  constructor(scope: Construct, id: string, props: ImageConfigChartProps) {
    super(scope, id);
    const config = props.imageConfig;
    const route = config.publicRoute === undefined ? undefined : findRoute(config.publicRoute, props.routes);
    const fromRoute = route ? 1 : 0;
    const inConfig = (field: string) => `imageConfig.${configField(field, fromRoute)}`;
    this.imageConfig = asConfigField(inConfig, () => {
      // All hostnames at once: the construct checks the whole spec on each add.
      const hostnames = [...(route?.hostname ? [route.hostname] : []), ...config.externalRegistryHostnames ?? []];
      return new ImageConfig(this, 'ImageConfig', {
        externalRegistryHostnames: hostnames.length ? hostnames : undefined,
        allowedRegistriesForImport: config.allowedRegistriesForImport,
        registrySources: config.registrySources,
        additionalTrustedCA: config.additionalTrustedCA,
        openshiftVersion: props.openshiftVersion,
        // This app always runs the registry (its Config is Managed).
        internalRegistry: true,
      });
    });
    this.warnings = configWarnings(this.imageConfig.warnings, inConfig);
  }
}

function findRoute(name: string, routes: RegistryConfig['routes']) {
  const route = routes?.find((r) => r.name === name);
  const named = (routes ?? []).map((r) => r.name);
  if (!route) {
    throw new ValidationError('imageConfig.publicRoute', `${JSON.stringify(name)} is not among registry.routes (${named.length ? named.join(', ') : 'none'}); name a route there that has a hostname`);
  }
  if (route.hostname === undefined) {
    throw new ValidationError('imageConfig.publicRoute', `route ${JSON.stringify(name)} has no hostname: the router makes one up, which the registry operator already publishes by itself; give the route a hostname in registry.routes`);
  }
  return route;
}

/** A spec field as the config file names it: the CA is a plain name there, hostnames follow publicRoute. */
function configField(specField: string, fromRoute: number): string {
  if (specField === 'additionalTrustedCA.name') return 'additionalTrustedCA';
  const hostname = /^externalRegistryHostnames\[(\d+)\]$/.exec(specField);
  if (hostname) return Number(hostname[1]) < fromRoute ? 'publicRoute' : `externalRegistryHostnames[${Number(hostname[1]) - fromRoute}]`;
  return specField;
}
