import { ValidationError } from './validation-error';

// The CRD's patterns for the CRNs of a Cloud Object Storage instance and of a resource key of it.
const CRN_PATTERNS = {
  serviceInstanceCRN: /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+::$/,
  resourceKeyCRN: /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+:resource-key:.+$/,
} as const;

/**
 * Throws unless the CRNs fit the CRD, and a resource key comes with its service instance: the
 * operator checks that the key belongs to the instance in spec, and without one finds or creates
 * an instance of its own (`pkg/storage/ibmcos/ibmcos.go` CreateStorage).
 */
export function checkIbmCosCrns(crns: { readonly serviceInstanceCrn?: string; readonly resourceKeyCrn?: string }): void {
  const values = { serviceInstanceCRN: crns.serviceInstanceCrn, resourceKeyCRN: crns.resourceKeyCrn };
  for (const [field, value] of Object.entries(values) as [keyof typeof CRN_PATTERNS, string | undefined][]) {
    if (value !== undefined && !CRN_PATTERNS[field].test(value)) {
      throw new ValidationError(field, `${JSON.stringify(value)} is not a Cloud Object Storage ${field === 'serviceInstanceCRN' ? 'service instance CRN (crn:v1:bluemix:public:cloud-object-storage:global:a/<account>:<instance>::)' : 'resource key CRN (crn:v1:bluemix:public:cloud-object-storage:global:a/<account>:<instance>:resource-key:<key>)'}`);
    }
  }
  if (values.resourceKeyCRN !== undefined && values.serviceInstanceCRN === undefined) {
    throw new ValidationError('serviceInstanceCRN', 'is required with resourceKeyCRN: the operator accepts only a resource key of the service instance in spec, and without one it uses an instance of its own ("specified resource key is not valid for service instance"); set the CRN of the key\'s instance');
  }
}
