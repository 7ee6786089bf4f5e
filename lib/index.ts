// The construct library: usable from any cdk8s app.
export * from './registry/constants';
export * from './registry/image-registry';
export * from './registry/registry-pvc';
export * from './registry/registry-storage';
export * from './charts/registry-chart';
export * from './charts/registry-storage-chart';
export * from './charts/cluster';
export * from './config/config-error';
export * from './config/loader';
export * from './config/schema';
export * from './output/write-output-dir';
export * from './validation/kubernetes';
export * from './validation/validation-error';
export * from './synth';
