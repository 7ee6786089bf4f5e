import { App, Chart, Testing } from 'cdk8s';
import { addGitOpsAnnotations, ImageConfig, ImageConfigProps, ValidationError } from '../../../lib';

const make = (props?: ImageConfigProps, more?: (config: ImageConfig) => void) => {
  const chart = Testing.chart();
  const config = new ImageConfig(chart, 'Images', props);
  more?.(config);
  return { config, objects: Testing.synth(chart) };
};
const thrown = (build: () => unknown): ValidationError => {
  try {
    build();
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('no error');
};

describe('ImageConfig', () => {
  test('by default it is the object named cluster with an empty spec: nothing of anyone else\'s is written', () => {
    expect(make().objects).toEqual([{ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} }]);
  });

  test('it writes only the fields set, leaving out empty lists and maps', () => {
    const { objects } = make({
      additionalTrustedCA: 'registry-cas',
      allowedRegistriesForImport: [],
      registrySources: { blockedRegistries: ['bad.example.com'], insecureRegistries: [] },
    });
    expect(objects[0].spec).toEqual({ additionalTrustedCA: { name: 'registry-cas' }, registrySources: { blockedRegistries: ['bad.example.com'] } });
    expect(make({ registrySources: { insecureRegistries: [] } }).objects[0].spec).toEqual({});
  });

  test('every field reaches the spec under its API name', () => {
    const { objects } = make({
      externalRegistryHostnames: ['registry.example.com'],
      allowedRegistriesForImport: [{ domainName: 'registry.example.com:5000', insecure: true }],
      registrySources: {
        allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000', 'registry.example.com'],
        insecureRegistries: ['registry.example.com:5000'],
        containerRuntimeSearchRegistries: ['registry.example.com'],
      },
      additionalTrustedCA: 'registry-cas',
    });
    expect(objects[0].spec).toEqual({
      externalRegistryHostnames: ['registry.example.com'],
      allowedRegistriesForImport: [{ domainName: 'registry.example.com:5000', insecure: true }],
      registrySources: {
        allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000', 'registry.example.com'],
        insecureRegistries: ['registry.example.com:5000'],
        containerRuntimeSearchRegistries: ['registry.example.com'],
      },
      additionalTrustedCA: { name: 'registry-cas' },
    });
  });

  test('a route\'s hostname is listed in the order added, after the hostnames given', () => {
    const { config, objects } = make({ externalRegistryHostnames: ['lb.example.com'] }, (c) => {
      c.addRoute({ name: 'public', hostname: 'registry.apps.example.com' });
      c.addExternalRegistryHostname('registry.example.com:8443');
    });
    expect(objects[0].spec.externalRegistryHostnames).toEqual(['lb.example.com', 'registry.apps.example.com', 'registry.example.com:8443']);
    expect(config.externalRegistryHostnames).toEqual(['lb.example.com', 'registry.apps.example.com', 'registry.example.com:8443']);
  });

  test('a route without a hostname is refused: the operator publishes the router\'s hostname itself', () => {
    const error = thrown(() => make({}, (c) => c.addRoute({ name: 'public' })));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^externalRegistryHostnames: route "public" has no hostname: .*already publishes it/);
  });

  test('allowed and blocked registries together are refused in the constructor', () => {
    const error = thrown(() => make({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io'], blockedRegistries: ['x.example.com'] } }));
    expect(error.field).toBe('registrySources');
    expect(error.problem).toMatch(/^Only one of blockedRegistries or allowedRegistries may be set/);
  });

  test('a bad hostname added later is refused and not kept', () => {
    const chart = Testing.chart();
    const config = new ImageConfig(chart, 'Images');
    expect(thrown(() => config.addExternalRegistryHostname('https://registry.example.com')).field).toBe('externalRegistryHostnames[0]');
    expect(config.externalRegistryHostnames).toEqual([]);
    expect(Testing.synth(chart)[0].spec).toEqual({});
  });

  test('a bad ConfigMap name is refused at additionalTrustedCA.name', () => {
    expect(thrown(() => make({ additionalTrustedCA: 'Registry_CAs' })).field).toBe('additionalTrustedCA.name');
  });

  test('an allow-list without the platform registries is refused; without the internal registry it is made, with a warning', () => {
    expect(thrown(() => make({ registrySources: { allowedRegistries: ['registry.example.com'] } })).problem).toMatch(/^does not include quay.io or registry.redhat.io: /);
    const { config } = make({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io', 'registry.example.com'] } });
    expect(config.warnings).toEqual([
      expect.stringMatching(/^registrySources.allowedRegistries: does not include the internal registry image-registry.openshift-image-registry.svc:5000: .* \(unless the cluster runs no internal registry: managementState Removed\)$/),
    ]);
  });

  test('it is applied server-side and never pruned or deleted, by Argo CD and by Flux', () => {
    const app = new App();
    const chart = new Chart(app, 'images');
    new ImageConfig(chart, 'Images', { additionalTrustedCA: 'registry-cas' });
    addGitOpsAnnotations(app);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '0',
      'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/ssa': 'merge',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });
});

test('a cluster holds one image config: a second is refused, one in another cluster is not', () => {
  const app = new App();
  const chart = new Chart(app, 'prod');
  new ImageConfig(chart, 'A');
  expect(() => new ImageConfig(chart, 'B')).toThrow('B: cluster prod already has the Image cluster: a cluster has one');
  expect(() => new ImageConfig(new Chart(app, 'lab'), 'A')).not.toThrow();
});
