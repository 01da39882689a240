import { ArnError } from '@aws-workload/plugin-aws-workload-common';
import { ApiException } from '@kubernetes/client-node';
import { forReaders } from './readerErrors';

const PRINCIPAL =
  'arn:aws:sts::123456789012:assumed-role/backstage-backend/i-0abc123';

/** An AWS SDK service exception as the SDK builds it. */
const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
  });

describe('forReaders', () => {
  it("keeps the backend's own principal out of an AWS AccessDenied, and the whole message for the log", () => {
    const message = `User: ${PRINCIPAL} is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-3:123456789012:cluster/prod`;
    const error = forReaders(awsError('AccessDeniedException', message));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(
      /^AWS refused the call to the backend's identity/,
    );
    expect(error.message).not.toContain(PRINCIPAL);
    expect(error.detail).toBe(message);
  });

  it('keeps the body of a Kubernetes 403 out, and says what to do', () => {
    const body = JSON.stringify({
      kind: 'Status',
      message: `pods is forbidden: User "${PRINCIPAL}" cannot list resource "pods"`,
      code: 403,
    });
    const error = forReaders(new ApiException(403, 'Forbidden', body, {}));
    expect(error).toMatchObject({
      name: 'KubernetesApiError',
      message: expect.stringMatching(
        /^The cluster refused the backend's identity \(HTTP 403\): bind it to the read-only ClusterRole/,
      ),
    });
    expect(error.message).not.toContain(PRINCIPAL);
    expect(error.detail).toContain(PRINCIPAL);
  });

  it('says an AWS not-found names the annotation to check', () => {
    expect(
      forReaders(
        awsError('ResourceNotFoundException', 'Requested resource not found'),
        'aws.amazon.com/dynamodb-table-arn',
      ).message,
    ).toBe(
      'AWS has no such resource: check the aws.amazon.com/dynamodb-table-arn annotation.',
    );
  });

  it("passes this plugin's own errors through, since they carry nothing from upstream", () => {
    expect(
      forReaders(
        Object.assign(
          new Error('Kubernetes list pods timed out after 300 ms'),
          {
            name: 'TimeoutError',
          },
        ),
      ),
    ).toEqual({
      name: 'TimeoutError',
      message: 'Kubernetes list pods timed out after 300 ms',
    });
    expect(
      forReaders(
        new ArnError('unknown region "mars-1"'),
        'aws.amazon.com/amazon-ecr-arn',
      ),
    ).toEqual({
      name: 'InputError',
      message:
        'Annotation aws.amazon.com/amazon-ecr-arn: unknown region "mars-1"',
    });
  });

  it('hides the text of anything else (network errors name internal hosts)', () => {
    const error = forReaders(
      Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:443'), {
        name: 'Error',
      }),
    );
    expect(error.message).toBe(
      "The call failed (Error); the backend's log has the details.",
    );
    expect(error.detail).toBe('connect ECONNREFUSED 10.1.2.3:443');
  });
});
