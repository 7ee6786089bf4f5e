import { checkDnsLabel, checkDnsSubdomain, checkQuantity, checkWholeNumber } from '../../../lib/rules/kubernetes';
import { ValidationError } from '../../../lib/rules/validation-error';

describe('Kubernetes quantities', () => {
  test.each(['100Gi', '1Ti', '512Mi', '500m', '1', '1.5Gi', '1e3', '.5', '10k', '2E'])('accepts %s', (value) => {
    expect(() => checkQuantity('size', value)).not.toThrow();
  });

  test.each(['100GB', '100 Gi', 'Gi', '-1Gi', '100gi', '', '1.2.3', '10KiB'])('rejects %p with the field and an example', (value) => {
    expect(() => checkQuantity('size', value)).toThrow(`size: ${JSON.stringify(value)} is not a Kubernetes quantity`);
    expect(() => checkQuantity('size', value)).toThrow(/e\.g\. 100Gi/);
  });

  test('positive rejects zero in any spelling', () => {
    for (const zero of ['0', '0Gi', '0.0', '0e5']) {
      expect(() => checkQuantity('size', zero, { positive: true })).toThrow('must be greater than zero');
    }
    expect(() => checkQuantity('size', '0.5Gi', { positive: true })).not.toThrow();
  });
});

describe('DNS names', () => {
  test('subdomains allow dots and reject capitals, underscores and edges', () => {
    expect(() => checkDnsSubdomain('name', 'image-registry.pvc-1')).not.toThrow();
    for (const bad of ['Image', 'a_b', '-a', 'a-', 'a..b', '', 'a'.repeat(254)]) {
      expect(() => checkDnsSubdomain('name', bad)).toThrow(/^name: .* is not a valid name: use at most 253 lower-case letters/);
    }
  });

  test('labels reject dots and more than 63 characters', () => {
    expect(() => checkDnsLabel('name', 'prod-1')).not.toThrow();
    expect(() => checkDnsLabel('name', 'a.b')).toThrow('is not a valid name');
    expect(() => checkDnsLabel('name', 'a'.repeat(64))).toThrow('at most 63');
  });
});

test('whole numbers', () => {
  expect(() => checkWholeNumber('replicas', 0)).not.toThrow();
  expect(() => checkWholeNumber('replicas', -1)).toThrow('replicas: -1 must be a whole number >= 0');
  expect(() => checkWholeNumber('replicas', 1.5)).toThrow('replicas: 1.5 must be a whole number >= 0');
});

test('ValidationError.within prefixes the field', () => {
  const error = new ValidationError('routes[1].name', 'bad').within('registry');
  expect(error.field).toBe('registry.routes[1].name');
  expect(error.message).toBe('registry.routes[1].name: bad');
});
