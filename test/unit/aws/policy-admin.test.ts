import 'aws-sdk-client-mock-jest';
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { PolicyChangedError, policyAdmin } from '../../../functions/aws/policy-admin';

const ssm = mockClient(SSMClient);
const NAME = '/eks-endpoint-guard/policy';
const admin = () => policyAdmin(new SSMClient({ region: 'us-east-1' }), NAME);

beforeEach(() => ssm.reset());

describe('policy admin adapter', () => {
  it('reads who wrote the current version from the paged history', async () => {
    // Prepare: the current version is on the second page
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: '{}', Version: 3 } });
    ssm
      .on(GetParameterHistoryCommand, { Name: NAME, NextToken: undefined })
      .resolves({
        Parameters: [
          { Version: 1, LastModifiedUser: 'arn:aws:iam::111122223333:user/first', Tier: 'Standard' },
          { Version: 2, LastModifiedUser: 'arn:aws:iam::111122223333:user/second', Tier: 'Standard' },
        ],
        NextToken: 'page-2',
      })
      .on(GetParameterHistoryCommand, { Name: NAME, NextToken: 'page-2' })
      .resolves({
        Parameters: [
          {
            Version: 3,
            LastModifiedUser: 'arn:aws:sts::111122223333:assumed-role/Admin/jdoe',
            LastModifiedDate: new Date('2026-11-30T10:00:00Z'),
            Tier: 'Advanced',
          },
        ],
      });

    // Act
    const read = await admin().read();

    // Assess
    expect(read).toEqual({
      name: NAME,
      text: '{}',
      version: 3,
      tier: 'Advanced',
      lastModified: new Date('2026-11-30T10:00:00Z'),
      lastModifiedUser: 'arn:aws:sts::111122223333:assumed-role/Admin/jdoe',
    });
  });

  it('a parameter that does not exist reads as undefined', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));

    // Act
    const read = await admin().read();

    // Assess
    expect(read).toBeUndefined();
  });

  it('writes once, as a String that overwrites, keeping the tier', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Version: 3 } });
    ssm.on(PutParameterCommand).resolves({ Version: 4 });

    // Act
    const version = await admin().write('{"version":1}', { tier: 'Advanced', expectedVersion: 3 });

    // Assess
    expect(version).toBe(4);
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: NAME,
      Value: '{"version":1}',
      Type: 'String',
      Overwrite: true,
      Tier: 'Advanced',
    });
  });

  it('a policy over 4 KB goes to the advanced tier', async () => {
    // Prepare
    ssm.on(PutParameterCommand).resolves({ Version: 1 });

    // Act
    await admin().write('x'.repeat(4097), { tier: 'Standard' });

    // Assess
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Tier: 'Advanced' });
  });

  it.each([
    ['changed by someone else', { Parameter: { Version: 4 } }, 3],
    ['created by someone else', { Parameter: { Version: 1 } }, undefined],
  ])('refuses to write a parameter %s since it was read', async (_, now, expectedVersion) => {
    // Prepare
    ssm.on(GetParameterCommand).resolves(now);

    // Act
    const write = admin().write('{}', { expectedVersion });

    // Assess
    await expect(write).rejects.toThrow(PolicyChangedError);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});
