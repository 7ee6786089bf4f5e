// Types of the generated crd-validators.js (scripts/compile-validators.ts).
import type { ValidateFunction } from 'ajv';

/** Standalone validators of the custom resources this project writes, by `apiVersion Kind`. */
export declare const byKind: Readonly<Record<string, ValidateFunction>>;
