import { lookup } from './lookup';

describe('lookup', () => {
  it('passes an answer through', async () => {
    await expect(
      lookup(async () => ({ status: 'found' as const, value: 1 })),
    ).resolves.toEqual({ status: 'found', value: 1 });
  });

  it('turns a failure into unknown, with its name and message', async () => {
    const denied = Object.assign(new Error('not authorized to iam:GetRole'), {
      name: 'AccessDenied',
    });
    await expect(
      lookup(async () => {
        throw denied;
      }),
    ).resolves.toEqual({
      status: 'unknown',
      reason: 'AccessDenied: not authorized to iam:GetRole',
    });
  });
});
