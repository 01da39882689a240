module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Assertions that live in helpers (`expectInputRejected`,
    // `expectCleanInspection`) and in aws-cdk-lib's `Template.has*` and `resourceCountIs`.
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          'expect*',
          'template.has*',
          'template.resourceCountIs',
        ],
      },
    ],
  },
});
