import * as aws from './aws';

/**
 * Malformed annotations, each answered as a section error (or a failing
 * check), never a 500: [description, annotations, section, message].
 */
const HUGE = 'x'.repeat(100_000);
export const malformedCases: [
  string,
  Record<string, string>,
  'table' | 'images' | 'workloads',
  RegExp,
][] = [
  [
    'table: not an ARN',
    { 'aws.amazon.com/dynamodb-table-arn': 'my-table' },
    'table',
    /form arn:/,
  ],
  [
    'table: S3 ARN',
    { 'aws.amazon.com/dynamodb-table-arn': 'arn:aws:s3:::bucket' },
    'table',
    /"dynamodb"/,
  ],
  [
    'table: ECR ARN',
    { 'aws.amazon.com/dynamodb-table-arn': aws.repositoryArn('vote') },
    'table',
    /"dynamodb"/,
  ],
  [
    'table: unknown region',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:moon-base-1:123456789012:table/t',
    },
    'table',
    /unknown region/,
  ],
  [
    'table: short account',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:1234:table/t',
    },
    'table',
    /12 digits/,
  ],
  [
    'table: letters in account',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:12345678901a:table/t',
    },
    'table',
    /12 digits/,
  ],
  [
    'table: index ARN',
    {
      'aws.amazon.com/dynamodb-table-arn': `${aws.tableArn('t')}/index/by-name`,
    },
    'table',
    /table\/<name>/,
  ],
  [
    'table: stream ARN',
    {
      'aws.amazon.com/dynamodb-table-arn': `${aws.tableArn(
        't',
      )}/stream/2026-01-01T00:00:00.000`,
    },
    'table',
    /table\/<name>/,
  ],
  [
    'table: name too short',
    { 'aws.amazon.com/dynamodb-table-arn': aws.tableArn('ab') },
    'table',
    /3 to 255/,
  ],
  [
    'table: name with slash-free junk',
    { 'aws.amazon.com/dynamodb-table-arn': aws.tableArn('bad*name') },
    'table',
    /3 to 255/,
  ],
  [
    'table: quote injection',
    { 'aws.amazon.com/dynamodb-table-arn': `${aws.tableArn('t')}"}]` },
    'table',
    /quotes/,
  ],
  [
    'table: newline injection',
    {
      'aws.amazon.com/dynamodb-table-arn': `${aws.tableArn(
        't',
      )}\nX-Injected: 1`,
    },
    'table',
    /spaces, quotes or control/,
  ],
  [
    'table: template injection',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:123456789012:table/${{ secrets }}',
    },
    'table',
    /quotes|3 to 255/,
  ],
  [
    'table: unknown partition',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws-evil:dynamodb:eu-west-3:123456789012:table/t',
    },
    'table',
    /unknown partition/,
  ],
  [
    'table: huge value',
    {
      'aws.amazon.com/dynamodb-table-arn': `arn:aws:dynamodb:eu-west-3:123456789012:table/${HUGE}`,
    },
    'table',
    /at most 2048/,
  ],
  [
    'images: not an ARN',
    {
      'aws.amazon.com/amazon-ecr-arn':
        '123456789012.dkr.ecr.eu-west-3.amazonaws.com/vote',
    },
    'images',
    /form arn:/,
  ],
  [
    'images: DynamoDB ARN',
    { 'aws.amazon.com/amazon-ecr-arn': aws.tableArn('vote') },
    'images',
    /"ecr"/,
  ],
  [
    'images: uppercase name',
    { 'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('Vote') },
    'images',
    /lowercase/,
  ],
  [
    'images: image ARN',
    {
      'aws.amazon.com/amazon-ecr-arn': `arn:aws:ecr:${aws.REGION}:${aws.ACCOUNT}:image/vote`,
    },
    'images',
    /repository\/<name>/,
  ],
  [
    'images: unknown region',
    {
      'aws.amazon.com/amazon-ecr-arn':
        'arn:aws:ecr:xx-nowhere-9:123456789012:repository/v',
    },
    'images',
    /unknown region/,
  ],
  [
    'images: empty account',
    { 'aws.amazon.com/amazon-ecr-arn': 'arn:aws:ecr:eu-west-3::repository/v' },
    'images',
    /12 digits/,
  ],
  [
    'images: path traversal',
    { 'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('../../etc') },
    'images',
    /lowercase/,
  ],
  [
    'images: shell injection',
    { 'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('v;rm -rf /') },
    'images',
    /spaces/,
  ],
  [
    'images: huge value',
    {
      'aws.amazon.com/amazon-ecr-arn': `arn:aws:ecr:eu-west-3:123456789012:repository/${HUGE}`,
    },
    'images',
    /at most 2048/,
  ],
  [
    'images: unicode lookalike',
    { 'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('vоte') },
    'images',
    /lowercase/,
  ],
  [
    'workloads: unknown cluster',
    {
      'backstage.io/kubernetes-id': 'vote-irsa',
      'aws.amazon.com/eks-cluster-name': 'prod-east',
    },
    'workloads',
    /No cluster named prod-east/,
  ],
  [
    'workloads: injection in cluster name',
    {
      'backstage.io/kubernetes-id': 'vote-irsa',
      'aws.amazon.com/eks-cluster-name': 'x"; drop',
    },
    'workloads',
    /No cluster named/,
  ],
  [
    'workloads: huge cluster name',
    {
      'backstage.io/kubernetes-id': 'vote-irsa',
      'aws.amazon.com/eks-cluster-name': HUGE,
    },
    'workloads',
    /No cluster named/,
  ],
  [
    'table: ARN with spaces around is trimmed but junk inside is not',
    {
      'aws.amazon.com/dynamodb-table-arn': ` arn:aws:dynamodb:eu-west-3:123456789012:table/a b `,
    },
    'table',
    /spaces/,
  ],
  [
    'table: wrong service casing',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:DynamoDB:eu-west-3:123456789012:table/t',
    },
    'table',
    /"dynamodb"/,
  ],
  [
    'table: missing resource type',
    {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:123456789012:vote',
    },
    'table',
    /table\/<name>/,
  ],
  [
    'images: nested wrong resource',
    {
      'aws.amazon.com/amazon-ecr-arn': `arn:aws:ecr:${aws.REGION}:${aws.ACCOUNT}:repository/`,
    },
    'images',
    /repository\/<name>/,
  ],
];
