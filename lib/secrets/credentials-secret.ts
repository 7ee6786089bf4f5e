import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../imports/externalsecrets-external-secrets.io';
import { SealedSecret } from '../../imports/sealedsecrets-bitnami.com';
import { SecretSource } from './secret-source';
import { checkDnsLabel, checkDnsSubdomain } from '../rules/kubernetes';
import { checkProps, is, propTypes } from '../rules/prop-types';

export interface CredentialsSecretProps {
  /** Name of the Secret that consumers read. */
  readonly name: string;
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** The keys the Secret must hold. */
  readonly keys: readonly string[];
  /** Where the values come from. */
  readonly source: SecretSource;
}

const SEALING_SCOPE_ANNOTATIONS = {
  'strict': undefined,
  'namespace-wide': { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
  'cluster-wide': { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
};

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<CredentialsSecretProps>('CredentialsSecret', {
  name: is.string.isRequired,
  namespace: is.string.isRequired,
  keys: is.listOf(is.string).isRequired,
  source: is.instanceOf(SecretSource, 'a SecretSource (SecretSource.existing, .externalSecret, ...)').isRequired,
});

/**
 * A Secret with fixed keys, rendered the way its source says: nothing (existing secret), an
 * ExternalSecret, a SealedSecret, or a plain Secret from environment variables.
 */
export class CredentialsSecret extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: CredentialsSecretProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    checkDnsSubdomain('name', props.name);
    checkDnsLabel('namespace', props.namespace);
    props.source.validate(props.keys);
    this.name = props.name;
    this.namespace = props.namespace;
    this.keys = props.keys;
    const metadata = { name: props.name, namespace: props.namespace };
    const source = props.source;

    switch (source.kind) {
      case 'existingSecret':
        break;
      case 'externalSecret': {
        const { store, data, refreshInterval } = source.externalSecret!;
        new ExternalSecret(this, 'Resource', {
          metadata,
          spec: {
            refreshInterval: refreshInterval ?? '1h',
            secretStoreRef: { name: store.name, kind: (store.kind ?? 'ClusterSecretStore') as ExternalSecretSpecSecretStoreRefKind },
            target: { name: props.name },
            data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: data[key].key, property: data[key].property } })),
          },
        });
        break;
      }
      case 'sealedSecret': {
        const { encryptedData, scope: sealingScope } = source.sealedSecret!;
        const annotations = SEALING_SCOPE_ANNOTATIONS[sealingScope ?? 'strict'];
        new SealedSecret(this, 'Resource', {
          metadata: { ...metadata, annotations },
          spec: {
            encryptedData: Object.fromEntries(props.keys.map((key) => [key, encryptedData[key]])),
            template: { metadata: { ...metadata, annotations }, type: 'Opaque' },
          },
        });
        break;
      }
      case 'plainSecret': {
        const values = source.readEnvironment();
        new k8s.KubeSecret(this, 'Resource', {
          metadata,
          type: 'Opaque',
          stringData: Object.fromEntries(props.keys.map((key) => [key, values[key]])),
        });
        break;
      }
    }
  }
}
