import { parseProblem } from './generatedFiles';

describe('parseProblem', () => {
  it.each([
    ['package.json', '{"name": "a"}'],
    ['k8s/deployment.yaml', 'kind: Deployment\n---\nkind: Service\n'],
    [
      'infra/terraform/main.tf',
      'resource "aws_dynamodb_table" "t" {\n  name = "x"\n}\n',
    ],
    ['src/config.ts', 'export const region = "eu-west-3";\n'],
    ['README.md', '# anything "goes'],
  ])('accepts a well-formed %s', async (file, text) => {
    expect(await parseProblem(file, text)).toBeUndefined();
  });

  it.each([
    ['package.json', '{"description": "a "quoted" word"}'],
    ['k8s/deployment.yaml', 'metadata:\n  name: [unclosed\n'],
    ['infra/terraform/main.tf', 'resource "x" {'],
    ['src/config.ts', "export const region = 'eu-west-3;\n"],
  ])('names the problem of a broken %s', async (file, text) => {
    expect(await parseProblem(file, text)).toEqual(expect.any(String));
  });
});
