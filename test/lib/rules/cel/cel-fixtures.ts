import { checkCelSchema } from '../../../../lib/rules/cel/evaluate';
import { celSchemaOf } from '../../../../lib/rules/cel/schema';

// Small CRD schemas for the evaluation of CRD rules as the API server does it (apiextensions-apiserver
// pkg/apiserver/schema/cel/validation.go): evaluate.test.ts and evaluate.slow.test.ts.

export const K8S_1_36 = { kubernetesMinor: 36 };
/** A CRD schema with `spec.<field>` of `schema`. */
export const crd = (field: string, schema: object) => celSchemaOf({ type: 'object', properties: { spec: { type: 'object', properties: { [field]: schema } } } })!;
export const run = (field: string, schema: object, value: unknown, options = K8S_1_36) => checkCelSchema(crd(field, schema), { spec: { [field]: value } }, options);
export const rule = (text: string, extra: object = {}) => ({ 'x-kubernetes-validations': [{ rule: text, ...extra }] });
