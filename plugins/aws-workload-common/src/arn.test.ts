import {
  awsConsoleUrl,
  iamRoleConsoleUrl,
  partitionOfRegion,
  ArnError,
  oidcProviderArnForIssuer,
  parseDynamoDbTableArn,
  parseEcrRepositoryArn,
  parseIamRoleArn,
} from './arn';

describe('ARN parsing', () => {
  it('parses the three resource ARNs the plugin reads', () => {
    expect(
      parseDynamoDbTableArn(
        'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
      ),
    ).toMatchObject({
      region: 'eu-west-3',
      accountId: '123456789012',
      tableName: 'vote',
    });
    expect(
      parseEcrRepositoryArn(
        'arn:aws:ecr:us-east-1:123456789012:repository/team/vote',
      ),
    ).toMatchObject({
      repositoryName: 'team/vote',
    });
    expect(
      parseIamRoleArn('arn:aws:iam::123456789012:role/service/vote-role'),
    ).toMatchObject({
      roleName: 'vote-role',
      path: '/service/',
    });
    expect(
      parseIamRoleArn('arn:aws-cn:iam::123456789012:role/r').partition,
    ).toBe('aws-cn');
  });

  it.each([
    ['', /non-empty/],
    ['not-an-arn', /form arn:/],
    ['arn:aws:s3:::bucket', /names the service "dynamodb"/],
    ['arn:aws:dynamodb:mars-north-1:123456789012:table/vote', /unknown region/],
    ['arn:aws:dynamodb:eu-west-3:12345:table/vote', /12 digits/],
    [
      'arn:aws:dynamodb:eu-west-3:123456789012:table/vote/index/by-name',
      /table\/<name>/,
    ],
    ['arn:aws:dynamodb:eu-west-3:123456789012:table/a', /3 to 255/],
    ['arn:aws:dynamodb:eu-west-3:123456789012:table/vo te', /spaces/],
    ['arn:aws:dynamodb:eu-west-3:123456789012:table/"; DROP', /quotes/],
    [
      'arn:evil:dynamodb:eu-west-3:123456789012:table/vote',
      /unknown partition/,
    ],
    [
      `arn:aws:dynamodb:eu-west-3:123456789012:table/${'x'.repeat(3000)}`,
      /at most 2048/,
    ],
  ])('rejects table ARN %j', (value, message) => {
    expect(() => parseDynamoDbTableArn(value)).toThrow(ArnError);
    expect(() => parseDynamoDbTableArn(value)).toThrow(message);
  });

  it.each([
    ['arn:aws:ecr:eu-west-3:123456789012:repository/Vote', /lowercase/],
    ['arn:aws:ecr:eu-west-3:123456789012:image/vote', /repository\/<name>/],
  ])('rejects repository ARN %j', (value, message) => {
    expect(() => parseEcrRepositoryArn(value)).toThrow(message);
  });

  it.each([
    ['arn:aws:iam:eu-west-3:123456789012:role/r', /empty region/],
    ['arn:aws:iam::123456789012:user/bob', /role\//],
    [`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, /1 to 64/],
    ['arn:aws:iam::123456789012:role/', /1 to 64/],
  ])('rejects role ARN %j', (value, message) => {
    expect(() => parseIamRoleArn(value)).toThrow(message);
  });

  it('derives the OIDC provider ARN from the issuer URL', () => {
    expect(
      oidcProviderArnForIssuer(
        'https://oidc.eks.eu-west-3.amazonaws.com/id/ABC/',
        '123456789012',
      ),
    ).toBe(
      'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/ABC',
    );
  });
});

describe('partitionOfRegion', () => {
  it.each([
    ['eu-west-3', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-east-1', 'aws', 'amazonaws.com'],
  ])('%s is in %s on %s', (region, partition, dnsSuffix) => {
    expect(partitionOfRegion(region)).toEqual({ partition, dnsSuffix });
  });
});

describe('console links', () => {
  it('go to the console of the partition', () => {
    expect(awsConsoleUrl('eu-west-3', 'dynamodbv2/home?region=eu-west-3')).toBe(
      'https://eu-west-3.console.aws.amazon.com/dynamodbv2/home?region=eu-west-3',
    );
    expect(awsConsoleUrl('cn-north-1', '/dynamodbv2/home')).toBe(
      'https://console.amazonaws.cn/dynamodbv2/home',
    );
    expect(awsConsoleUrl('us-gov-west-1', 'dynamodbv2/home')).toBe(
      'https://console.amazonaws-us-gov.com/dynamodbv2/home',
    );
  });

  it('open a role by its ARN, in its partition', () => {
    expect(iamRoleConsoleUrl('arn:aws:iam::123456789012:role/vote')).toBe(
      'https://us-east-1.console.aws.amazon.com/iam/home#/roles/details/vote',
    );
    expect(
      iamRoleConsoleUrl('arn:aws-cn:iam::123456789012:role/teams/vote'),
    ).toBe('https://console.amazonaws.cn/iam/home#/roles/details/vote');
    expect(
      iamRoleConsoleUrl('arn:aws-us-gov:iam::123456789012:role/vote'),
    ).toBe('https://console.amazonaws-us-gov.com/iam/home#/roles/details/vote');
    expect(iamRoleConsoleUrl('not-an-arn')).toBeUndefined();
  });
});
