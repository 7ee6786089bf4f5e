// Group 1 of the unit tier's test files: see members.cjs.
require('./members.cjs').defineGroup(__filename, unitTierGroups);
