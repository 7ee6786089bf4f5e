// jest.unit.config.js's dependencyExtractor: see `dependencies` in members.cjs.
module.exports = require('./members.cjs').dependencies;
