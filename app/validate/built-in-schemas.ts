import { ALL_CORE_MODELS } from './core-models-all';
import { CoreSchemas } from './core-schemas';
import { CompiledSchemas, SchemaSource } from './crd-schemas';
import { byKind } from './generated/crd-validators';

/**
 * What `validate` checks manifests against with no CRD folder: the custom resources this project
 * writes (validators compiled from the pinned CRDs) and the common core API groups.
 */
export function builtInSchemas(): SchemaSource[] {
  return [new CompiledSchemas(byKind), new CoreSchemas(ALL_CORE_MODELS)];
}
