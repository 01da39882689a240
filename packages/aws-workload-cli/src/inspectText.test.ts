import { inspectManifestText, UnreadableInputError } from './inspectText';

describe('inspectManifestText', () => {
  it('classifies the workloads of a text, the namespace given on the side', async () => {
    const inspection = await inspectManifestText({
      text: `apiVersion: apps/v1
kind: Deployment
metadata: { name: vote }
spec:
  template:
    spec:
      containers:
        - name: vote
          image: vote:1
          envFrom: [{ secretRef: { name: aws-keys } }]
`,
      namespace: 'vote',
    });
    expect(inspection.workloads).toEqual([
      expect.objectContaining({
        file: '-',
        namespace: 'vote',
        name: 'vote',
        line: 1,
      }),
    ]);
  });

  it('skips a Helm template with where to look instead, and refuses text that is not YAML', async () => {
    const helm = await inspectManifestText({
      text: 'kind: Deployment\nmetadata:\n  name: x\n  {{- include "labels" . | nindent 4 }}\n',
      file: 'chart.yaml',
    });
    expect(helm.workloads).toEqual([]);
    expect(helm.skipped[0].reason).toMatch(/helm template/);
    await expect(
      inspectManifestText({ text: 'kind: [unclosed' }),
    ).rejects.toBeInstanceOf(UnreadableInputError);
  });
});
