import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishCheckAction } from './checkPublish';

async function check(integrations: object, repoUrl: string) {
  const action = createPublishCheckAction({
    config: new ConfigReader({ integrations }),
  });
  const ctx = createMockActionContext({ input: { repoUrl } });
  await action.handler(ctx as any);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

const REPO = 'github.com?owner=acme&repo=vote';

describe('aws-workload:publish:check', () => {
  it('can publish with a token or a GitHub App for the host', async () => {
    expect(
      await check({ github: [{ host: 'github.com', token: 't0ken' }] }, REPO),
    ).toMatchObject({ host: 'github.com', canPublish: true });
    expect(
      await check(
        {
          github: [
            {
              host: 'github.com',
              apps: [
                {
                  appId: 1,
                  clientId: 'c',
                  clientSecret: 's',
                  webhookSecret: 'w',
                  privateKey: 'k',
                },
              ],
            },
          ],
        },
        REPO,
      ),
    ).toMatchObject({ canPublish: true });
  });

  it('cannot with only the integration Backstage adds for github.com, and says what to do', async () => {
    const target = await check({}, REPO);
    expect(target.canPublish).toBe(false);
    expect(target.reason).toBe(
      "The portal has no token or GitHub App for github.com (integrations.github), so it cannot create the repository: the run packs the generated files for download instead of publishing them. Ask a platform engineer to add the integration, or look at the files first in the template editor's dry run (/create/edit).",
    );
  });

  it('names a host it has no integration for', async () => {
    const target = await check(
      { github: [{ host: 'github.com', token: 't0ken' }] },
      'ghe.example.com?owner=acme&repo=vote',
    );
    expect(target).toMatchObject({
      host: 'ghe.example.com',
      canPublish: false,
    });
    expect(target.reason).toMatch(
      /^The portal has no integration for ghe\.example\.com/,
    );
  });

  it('refuses a location that is not a RepoUrlPicker value', async () => {
    await expect(check({}, 'not a url at all/\\')).rejects.toThrow(InputError);
  });
});
