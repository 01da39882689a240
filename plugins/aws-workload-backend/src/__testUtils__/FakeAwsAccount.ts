/**
 * The fake AWS account (`@aws-workload/plugin-aws-workload-node/testUtils`)
 * behind the SDK clients, through aws-sdk-client-mock: the tests, both
 * benchmarks and the simulated fleet read the same objects and answers that
 * the local demo serves over HTTP. A test that needs one odd answer sets it
 * on the returned stubs, after the kit's own.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException as TableNotFound,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeImagesCommand,
  ECRClient,
  ECRServiceException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  EKSServiceException,
  ListPodIdentityAssociationsCommand,
  ResourceNotFoundException as ClusterNotFound,
} from '@aws-sdk/client-eks';
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  FakeAwsAccount as AccountAnswers,
  FakeAwsAccountOptions as AccountAnswersOptions,
  FakeAwsError,
  FakeAwsObjects,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import * as aws from '../__fixtures__/aws';
import { ACCOUNT, REGION } from '../__fixtures__/aws';

export type {
  FakeAwsObjects,
  FakeOidcProvider,
} from '@aws-workload/plugin-aws-workload-node/testUtils';

/** The services the tests stub at the SDK client. */
export type FakeAwsService = 'dynamodb' | 'ecr' | 'eks' | 'iam';

export type FakeAwsAccountOptions = Omit<
  AccountAnswersOptions,
  'accountId' | 'region'
> & { accountId?: string; region?: string };

/** The SDK clients the kit replaced; `restore()` puts the real ones back. */
export type FakeAwsStubs = ReturnType<FakeAwsAccount['install']>;

type ExceptionClass = new (options: any) => Error;

/** Each service's SDK: its client, the commands the kit answers, its exceptions. */
const SDK: Record<
  FakeAwsService,
  {
    client: unknown;
    commands: Record<string, unknown>;
    exceptions: Record<string, ExceptionClass>;
    serviceException: ExceptionClass;
  }
> = {
  dynamodb: {
    client: DynamoDBClient,
    commands: {
      DescribeTable: DescribeTableCommand,
      DescribeContinuousBackups: DescribeContinuousBackupsCommand,
    },
    exceptions: { ResourceNotFoundException: TableNotFound },
    serviceException: DynamoDBServiceException,
  },
  ecr: {
    client: ECRClient,
    commands: { DescribeImages: DescribeImagesCommand },
    exceptions: { RepositoryNotFoundException },
    serviceException: ECRServiceException,
  },
  eks: {
    client: EKSClient,
    commands: {
      DescribeCluster: DescribeClusterCommand,
      ListPodIdentityAssociations: ListPodIdentityAssociationsCommand,
      DescribePodIdentityAssociation: DescribePodIdentityAssociationCommand,
    },
    exceptions: { ResourceNotFoundException: ClusterNotFound },
    serviceException: EKSServiceException,
  },
  iam: {
    client: IAMClient,
    commands: {
      GetRole: GetRoleCommand,
      ListAttachedRolePolicies: ListAttachedRolePoliciesCommand,
      ListRolePolicies: ListRolePoliciesCommand,
      GetRolePolicy: GetRolePolicyCommand,
      GetPolicy: GetPolicyCommand,
      GetPolicyVersion: GetPolicyVersionCommand,
      GetAccountSummary: GetAccountSummaryCommand,
      GetAccountAuthorizationDetails: GetAccountAuthorizationDetailsCommand,
      GetOpenIDConnectProvider: GetOpenIDConnectProviderCommand,
      SimulatePrincipalPolicy: SimulatePrincipalPolicyCommand,
    },
    exceptions: { NoSuchEntity: NoSuchEntityException },
    serviceException: IAMServiceException,
  },
};

/** The account's error as the SDK raises it: the modelled exception class where there is one. */
function sdkError(service: FakeAwsService, error: FakeAwsError) {
  const { exceptions, serviceException: ServiceException } = SDK[service];
  const Modelled = exceptions[error.code];
  const $metadata = { httpStatusCode: error.status };
  if (Modelled) return new Modelled({ $metadata, message: error.message });
  return new ServiceException({
    name: error.code,
    $fault: error.status >= 500 ? 'server' : 'client',
    $metadata,
    message: error.message,
  });
}

export class FakeAwsAccount extends AccountAnswers {
  constructor(options: FakeAwsAccountOptions) {
    super({ accountId: ACCOUNT, region: REGION, ...options });
  }

  /**
   * Replaces the SDK clients until `restore()`. A test that runs a service
   * for real (DynamoDB on dynalite) leaves it out of `services`.
   */
  install(services: FakeAwsService[] = ['dynamodb', 'ecr', 'eks', 'iam']) {
    const answer = (service: FakeAwsService, stub: any) => {
      for (const [operation, command] of Object.entries(
        SDK[service].commands,
      )) {
        stub.on(command).callsFake(async (input: any) => {
          try {
            return await this.call(service, operation, input);
          } catch (e) {
            throw e instanceof FakeAwsError ? sdkError(service, e) : e;
          }
        });
      }
    };
    const stub = (service: FakeAwsService) => {
      if (!services.includes(service)) return undefined;
      const s = mockClient(SDK[service].client as any);
      answer(service, s);
      return s;
    };
    const stubs = {
      dynamodb: stub('dynamodb'),
      ecr: stub('ecr'),
      eks: stub('eks'),
      iam: stub('iam'),
    };
    return {
      ...stubs,
      restore: () => Object.values(stubs).forEach(s => s?.restore()),
      /** Every stub back to the kit's answers: what a test changed is gone. */
      reset: () => {
        for (const [service, s] of Object.entries(stubs)) {
          if (!s) continue;
          s.reset();
          answer(service as FakeAwsService, s);
        }
      },
    };
  }
}

/**
 * The vote service's account as the fixtures describe it: per name, a table,
 * a repository with a newer and an older image, and an IRSA role for the
 * ServiceAccount of that name whose one policy grants `actions` on that
 * table; the fixtures' cluster and its OIDC provider.
 */
export function voteServiceObjects(
  names: string[],
  actions: string[],
): FakeAwsObjects {
  return {
    tables: names.map(name => ({ name })),
    repositories: names.map(name => ({
      name,
      images: [
        aws.image('b2', ['3f9c2ab'], '2026-11-20T09:00:00Z', 1),
        aws.image('a1', ['3f9c2aa'], '2026-11-10T10:00:00Z'),
      ],
    })),
    clusters: [
      { name: aws.CLUSTER, endpoint: aws.CLUSTER_URL, issuer: aws.ISSUER },
    ],
    roles: names.map(name => ({
      name,
      trust: aws.irsaTrust(name, name),
      attached: [aws.policyArn(`${name}-table`)],
    })),
    policies: names.map(name => ({
      arn: aws.policyArn(`${name}-table`),
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: actions, Resource: aws.tableArn(name) },
        ],
      },
    })),
    oidcProviders: [{ url: aws.ISSUER_HOST, clientIds: ['sts.amazonaws.com'] }],
  };
}
