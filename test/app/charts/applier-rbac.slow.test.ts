import { ONE_TOOL, rightsForEveryObject } from './applier-rbac-corpus';

// The corpus test of applier-rbac.test.ts for Argo CD alone and Flux alone (each writes fewer rights).
rightsForEveryObject(ONE_TOOL);
