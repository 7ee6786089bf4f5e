import { checkImageReference } from '../../../lib/rules/image-reference';
import { ValidationError } from '../../../lib/rules/validation-error';

// The reference grammar of github.com/distribution/reference (regexp.go) and go-digest's digests.
const hex64 = 'a'.repeat(64);

describe('checkImageReference', () => {
  test.each([
    'quay.io/openshift/origin-cli:4.20',
    'origin-cli',
    'localhost:5000/a/b/c:v1',
    'mirror.example.com:8443/openshift4/ose-cli@sha256:' + hex64,
    'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z@sha256:' + hex64,
    '[fd00::1]:5000/org/name:tag',
    'registry.example.com/a__b/c-d.e:_tag',
    `quay.io/org/name@sha512:${'b'.repeat(128)}`,
  ])('accepts %s', (image) => {
    expect(() => checkImageReference('image', image)).not.toThrow();
  });

  test.each([
    ['an upper-case path', 'quay.io/OpenShift/origin-cli:4.20'],
    ['an empty tag', 'quay.io/openshift/origin-cli:'],
    ['a short digest', 'quay.io/openshift/origin-cli@sha256:abc'],
    ['an upper-case digest', `quay.io/openshift/origin-cli@sha256:${'A'.repeat(64)}`],
    ['an unknown digest algorithm', `quay.io/openshift/origin-cli@md5:${'a'.repeat(32)}`],
    ['a scheme', 'https://quay.io/openshift/origin-cli:4.20'],
    ['spaces', ' quay.io/openshift/origin-cli:4.20'],
    ['a tag over 128 characters', `quay.io/a/b:${'t'.repeat(129)}`],
    ['a bare image ID', hex64],
    ['a path over 255 characters', `quay.io/${'a'.repeat(256)}:1`],
    ['nothing', ''],
  ])('refuses %s', (_, image) => {
    expect(() => checkImageReference('mcImage', image)).toThrow(ValidationError);
    expect(() => checkImageReference('mcImage', image)).toThrow(/^mcImage: /);
  });
});
