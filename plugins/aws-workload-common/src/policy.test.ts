import {
  decodePolicyDocument,
  evaluate,
  PolicyDocument,
  wildcardMatch,
} from './policy';

const table = 'arn:aws:dynamodb:eu-west-3:123456789012:table/vote';
const doc = (...Statement: any[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});

describe('evaluate', () => {
  it('allows a listed action on the listed resource, case-insensitively for actions', () => {
    expect(
      evaluate(
        [doc({ Effect: 'Allow', Action: 'DynamoDB:getitem', Resource: table })],
        'dynamodb:GetItem',
        table,
      ),
    ).toBe('allowed');
  });

  it('is an implicit deny for another resource or action', () => {
    const d = [
      doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table }),
    ];
    expect(evaluate(d, 'dynamodb:PutItem', table)).toBe('implicit-deny');
    expect(evaluate(d, 'dynamodb:GetItem', `${table}-other`)).toBe(
      'implicit-deny',
    );
  });

  it('matches wildcards in actions and resources', () => {
    const d = [
      doc({
        Effect: 'Allow',
        Action: 'dynamodb:*Item',
        Resource: 'arn:aws:dynamodb:*:123456789012:table/v?te',
      }),
    ];
    expect(evaluate(d, 'dynamodb:UpdateItem', table)).toBe('allowed');
    expect(evaluate(d, 'dynamodb:Scan', table)).toBe('implicit-deny');
  });

  it('lets an explicit Deny win, across documents', () => {
    const d = [
      doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
      doc({ Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: table }),
    ];
    expect(evaluate(d, 'dynamodb:DeleteItem', table)).toBe('denied');
    expect(evaluate(d, 'dynamodb:GetItem', table)).toBe('allowed');
  });

  it('honours NotAction and NotResource', () => {
    expect(
      evaluate(
        [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
        'dynamodb:GetItem',
        table,
      ),
    ).toBe('allowed');
    expect(
      evaluate(
        [doc({ Effect: 'Allow', Action: '*', NotResource: table })],
        'dynamodb:GetItem',
        table,
      ),
    ).toBe('implicit-deny');
  });

  it('reports conditional allows as such', () => {
    const d = [
      doc({
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: table,
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
    ];
    expect(evaluate(d, 'dynamodb:GetItem', table)).toBe('conditional');
  });
});

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded documents IAM returns', () => {
    const encoded = encodeURIComponent(
      JSON.stringify(
        doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
      ),
    );
    expect(decodePolicyDocument(encoded).Statement).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    ]);
  });

  it('rejects documents without statements', () => {
    expect(() => decodePolicyDocument('{}')).toThrow(/Statement/);
  });
});

describe('wildcardMatch', () => {
  it('treats regex characters in patterns literally', () => {
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
    expect(wildcardMatch('a(b)*', 'a(b)c')).toBe(true);
  });
});
