import { agreesWithTheOldScopePattern } from './scope-property';

agreesWithTheOldScopePattern(3000);
