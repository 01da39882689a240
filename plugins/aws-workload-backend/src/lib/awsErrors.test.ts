import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { IAMServiceException } from '@aws-sdk/client-iam';
import { AnnotationError } from '@aws-workload/plugin-aws-workload-common';
import { NotFoundError } from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  isAccessDenied,
  isAwsServiceException,
  isEntityStateError,
  isMissingAwsIntegration,
} from './awsErrors';

const server = setupServer();
registerMswTestHooks(server);

const iamError = (name: string) =>
  new IAMServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `${name}: not authorized`,
  });

describe('AWS errors', () => {
  it('knows a denial by the SDK class and the code, not by words', () => {
    expect(isAwsServiceException(iamError('AccessDenied'))).toBe(true);
    expect(isAccessDenied(iamError('AccessDenied'))).toBe(true);
    expect(isAccessDenied(iamError('NoSuchEntity'))).toBe(false);
    // The same name on an error no AWS client made is not AWS's answer.
    expect(
      isAccessDenied(Object.assign(new Error('x'), { name: 'AccessDenied' })),
    ).toBe(false);
  });

  it("knows integration-aws-node's missing account, as the library words it", async () => {
    // The library asks STS who the main account is before it gives up
    // (its own STS client, so answered over HTTP, as STS answers).
    server.use(
      http.post('https://sts.us-east-1.amazonaws.com/', () =>
        HttpResponse.xml(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/backstage</Arn>
    <UserId>AIDAJQABLZS4A3QDU576Q</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`,
        ),
      ),
    );
    const credentials = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        aws: {
          mainAccount: {
            accessKeyId: 'AKIALOCALTESTONLY001',
            secretAccessKey: 'local-test-only',
          },
          accounts: [
            {
              accountId: '123456789012',
              accessKeyId: 'AKIALOCALTESTONLY000',
              secretAccessKey: 'local-test-only',
            },
          ],
        },
      }),
    );
    const missing = await credentials
      .getCredentialProvider({ accountId: '210987654321' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isMissingAwsIntegration(missing)).toBe(true);
    expect(isMissingAwsIntegration(new Error('timeout'))).toBe(false);
  });

  it("tells the entity's own state from a failure to read an upstream, by class", () => {
    expect(
      isEntityStateError(
        new AnnotationError('backstage.io/kubernetes-id', 'bad'),
      ),
    ).toBe(true);
    expect(isEntityStateError(new NotFoundError('No cluster named x'))).toBe(
      true,
    );
    expect(
      isEntityStateError(
        new ResourceNotFoundException({
          message: 'Requested resource not found',
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    ).toBe(true);
    expect(isEntityStateError(iamError('AccessDenied'))).toBe(false);
    expect(
      isEntityStateError(new ApiException(503, 'unavailable', '', {})),
    ).toBe(false);
    // A name alone, without the class, is no proof.
    expect(
      isEntityStateError(
        Object.assign(new Error('x'), { name: 'NotFoundError' }),
      ),
    ).toBe(false);
  });
});
