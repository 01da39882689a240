// The skeletons are the generated repositories' own code, with their own
// dependencies and tests (run by the template's tests), not this package's.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  ignorePatterns: ['templates/**'],
});
