import { EksClusterCheck } from '@aws-workload/plugin-aws-workload-common';
import {
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsWorkloadClient, awsWorkloadApiRef } from '../../api';
import {
  AwsEksClusterNameField,
  validateAwsEksClusterName,
} from './AwsEksClusterNameField';

const server = setupServer();
registerMswTestHooks(server);
const baseUrl = 'http://localhost:7007/api/aws-workload';
const client = new AwsWorkloadClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
  fetchApi: new MockFetchApi(),
});

const STEP = {
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  credentials: 'irsa',
};

/** The backend's answers, as its route gives them. */
function serveClusters(known: Record<string, Partial<EksClusterCheck>>) {
  const asked: string[] = [];
  server.use(
    http.get(`${baseUrl}/clusters/check`, ({ request }) => {
      const query = Object.fromEntries(new URL(request.url).searchParams);
      asked.push(query.clusterName);
      const found = known[query.clusterName];
      if (!found) {
        return HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: `There is no EKS cluster named ${query.clusterName} in account ${query.accountId}, region ${query.region}.`,
            },
            request: { method: 'GET', url: request.url },
            response: { statusCode: 404 },
          },
          { status: 404 },
        );
      }
      return HttpResponse.json({ ...query, ...found });
    }),
  );
  return asked;
}

async function renderField(
  value: string,
  step: object = STEP,
  rawErrors: string[] = [],
) {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[awsWorkloadApiRef, client]]}>
      <AwsEksClusterNameField
        {...({
          formData: value,
          onChange,
          required: true,
          schema: { title: 'EKS cluster name', type: 'string' },
          uiSchema: {},
          idSchema: { $id: 'root_clusterName' },
          rawErrors,
          formContext: { formData: step },
        } as any)}
      />
    </TestApiProvider>,
  );
  return screen.getByRole('textbox', { name: /EKS cluster name/ });
}

async function validate(value: string, step: object = STEP) {
  const errors: string[] = [];
  await validateAwsEksClusterName(
    value,
    { addError: (message: string) => errors.push(message) } as any,
    {
      apiHolder: TestApiRegistry.from([awsWorkloadApiRef, client]),
      formData: step as any,
      schema: {},
    },
  );
  return errors;
}

describe('the wizard’s EKS cluster field', () => {
  it('says, when the field is left, that the cluster is there and that IRSA’s provider will be created', async () => {
    serveClusters({
      'vote-demo': {
        kubernetesVersion: '1.33',
        oidcProvider: 'not-registered',
      },
    });
    fireEvent.blur(await renderField('vote-demo'));
    expect(
      await screen.findByText(
        'Found vote-demo in 123456789012, eu-west-3 (Kubernetes 1.33). Its IAM OIDC provider is not registered yet: the infrastructure creates it.',
      ),
    ).toBeInTheDocument();
    // Announced, and tied to the field for screen readers.
    const field = screen.getByRole('textbox', { name: /EKS cluster name/ });
    expect(field).toHaveAccessibleDescription(
      expect.stringContaining('Found vote-demo'),
    );
  });

  it('shows the server’s own words for a cluster that is not there', async () => {
    serveClusters({});
    fireEvent.blur(await renderField('nope'));
    expect(
      await screen.findByText(
        'There is no EKS cluster named nope in account 123456789012, region eu-west-3.',
      ),
    ).toBeInTheDocument();
  });

  it('stops the step on a cluster that is not there, and lets a found one through', async () => {
    serveClusters({ 'vote-demo': { oidcProvider: 'registered' } });
    expect(await validate('nope')).toEqual([
      'There is no EKS cluster named nope in account 123456789012, region eu-west-3.',
    ]);
    expect(await validate('vote-demo')).toEqual([]);
  });

  it('looks nothing up for a cluster the template creates, or with a malformed account', async () => {
    const asked = serveClusters({});
    expect(await validate('new-one', { ...STEP, createCluster: true })).toEqual(
      [],
    );
    expect(await validate('nope', { ...STEP, awsAccountId: '12' })).toEqual([]);
    fireEvent.blur(
      await renderField('new-one', { ...STEP, createCluster: true }),
    );
    expect(asked).toEqual([]);
  });

  it('shows the step’s validation error under the field when it was not left first', async () => {
    serveClusters({});
    await renderField('nope', STEP, ['There is no EKS cluster named nope.']);
    expect(
      screen.getByRole('textbox', { name: /EKS cluster name/ }),
    ).toHaveAccessibleDescription('There is no EKS cluster named nope.');
  });
});
