import { Sha256 } from '@aws-crypto/sha256-js';
import { partitionOfRegion } from '@aws-workload/plugin-aws-workload-common';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A bearer token for an EKS API server: a presigned STS GetCallerIdentity
 * request carrying the cluster's name in `x-k8s-aws-id`, as
 * `aws eks get-token` builds it. Valid for 15 minutes.
 */
export async function eksBearerToken(
  clusterName: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  stsHost = `sts.${region}.${partitionOfRegion(region).dnsSuffix}`,
): Promise<string> {
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: stsHost,
      path: '/',
      headers: { host: stsHost, 'x-k8s-aws-id': clusterName },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60 },
  );
  const query = new URLSearchParams(
    request.query as Record<string, string>,
  ).toString();
  const url = `https://${request.hostname}${request.path}?${query}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}
