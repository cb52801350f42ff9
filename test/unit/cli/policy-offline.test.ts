import { join } from 'node:path';
import { POLICY_SCP_HELP, POLICY_VALIDATE_HELP } from '../../../functions/cli/help';
import { runOffline, scratchFiles } from './in-process';

/**
 * The policy commands that need no AWS (validate, scp) and the refusals found before any AWS call,
 * in this process through the same entry point as the bin. The endpoint is a closed local port: a
 * regression that called AWS would fail with a connection error instead of the expected output.
 */
const CORPUS = join(__dirname, '..', 'core', 'policy', 'corpus');
const run = (args: string[], stdin?: string) => runOffline(args, { stdin });
const { file, pathOf } = scratchFiles('policy-offline-');

describe('policy validate', () => {
  it('a good policy: one summary line, exit 0', async () => {
    // Act
    const result = await run(['policy', 'validate', join(CORPUS, 'good-restricted.policy')]);

    // Assess
    expect(result).toEqual({ code: 0, stdout: '1 file: valid, 0 errors, 0 warnings\n', stderr: '' });
  });

  it('warnings: FILE:LINE:COLUMN lines, exit 0; with --strict exit 1', async () => {
    // Prepare
    const path = join(CORPUS, 'open-world.policy');

    // Act
    const lenient = await run(['policy', 'validate', path]);
    const strict = await run(['policy', 'validate', path, '--strict']);

    // Assess
    expect(lenient.code).toBe(0);
    expect(lenient.stdout.split('\n')).toEqual([
      `${path}:4:26: warning: allowedPublicCidrs[0]: "203.0.113.0/24" lies inside "0.0.0.0/0" (allowedPublicCidrs[1]): it adds nothing [cidr-nested]`,
      `${path}:4:44: warning: allowedPublicCidrs[1]: "0.0.0.0/0" is the whole internet: "restricted" to it is "allowed"; list the networks that need the endpoint [restricted-open-world]`,
      `${path}:6:52: warning: overrides[0].allowedPublicCidrs[0]: "::/0" is the whole internet: "restricted" to it is "allowed"; list the networks that need the endpoint [restricted-open-world]`,
      '1 file: valid, 0 errors, 3 warnings',
      '',
    ]);
    expect(strict).toEqual({ ...lenient, code: 1 });
  });

  it('every error of every file, a missing file included, exit 1', async () => {
    // Prepare
    const syntax = join(CORPUS, 'syntax-errors.policy');
    const schema = join(CORPUS, 'schema-errors.policy');
    const missing = pathOf('no-such-policy.json');

    // Act
    const result = await run(['policy', 'validate', syntax, schema, missing]);

    // Assess
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith(`${syntax}:`))).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith(`${schema}:`))).toHaveLength(8);
    expect(lines).toContain(`${syntax}:3:3: error: comments are not allowed in JSON [syntax]`);
    expect(lines).toContain(`${schema}:2:14: error: version: must be 1, got 2 [schema]`);
    expect(lines.slice(-2)).toEqual([
      `${missing}: error: cannot read: no such file`,
      '3 files: 3 invalid, 15 errors, 0 warnings',
    ]);
  });

  it('standard input with --json: { file, valid, findings } per file', async () => {
    // Act
    const result = await run(
      ['policy', 'validate', '-', '--json'],
      '{"version": 1, "publicAccess": "disabled",}',
    );

    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: 'standard input',
        valid: false,
        findings: [
          {
            severity: 'error',
            rule: 'syntax',
            line: 1,
            column: 42,
            message: "trailing ',' after the last entry: JSON allows none, remove it",
          },
        ],
      },
    ]);
  });

  it('--help says what it checks and the exit codes', async () => {
    // Act
    const result = await run(['policy', 'validate', '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'Usage: eks-endpoint-guard policy validate [options] <files...>',
    );
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      POLICY_VALIDATE_HELP.description.replace(/\s+/g, ' '),
    );
  });
});

describe('policy scp', () => {
  const strict = { version: 1, publicAccess: 'disabled', privateAccess: 'required' };

  it('--json prints the SCP alone', async () => {
    // Prepare
    const path = file('strict.json', strict);

    // Act
    const result = await run([
      'policy',
      'scp',
      path,
      '--json',
      '--guard-role',
      'arn:aws:iam::123456789012:role/Guard',
    ]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const scp = JSON.parse(result.stdout);
    expect(scp.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'DenyPublicEndpointUpdate',
      'DenyPublicEndpointCreate',
      'DenyPrivateEndpointUpdate',
      'DenyPrivateEndpointCreate',
    ]);
    expect(scp.Statement[0].Condition.ArnNotLike).toEqual({
      'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/Guard'],
    });
  });

  it('says what it refuses, for whom, and what it cannot prevent; GUARD_ROLE_ARN is exempt', async () => {
    // Prepare
    const path = file('restricted.json', {
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24'],
    });

    // Act
    const result = await runOffline(
      ['policy', 'scp', path, '--break-glass-role', 'arn:aws:iam::123456789012:role/BreakGlass'],
      { env: { GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/Guard' } },
    );

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Service control policy for ${path}: \\d+ of 5120 characters$`));
    expect(lines.slice(2, 7)).toEqual([
      'It refuses:',
      '  - UpdateClusterConfig turning the private endpoint off',
      '  - CreateCluster with the private endpoint off (also when the request leaves it to the EKS default)',
      '  for everyone but arn:aws:iam::123456789012:role/Guard, arn:aws:iam::123456789012:role/BreakGlass',
      '',
    ]);
    expect(lines[7]).toBe('It cannot prevent (the guard still remediates):');
    expect(lines[8]).toMatch(/^ {2}- publicAccessCidrs: no condition key covers them/);
  });

  it.each([
    [
      'an invalid policy',
      { version: 1, publicAccess: 'nope' },
      [],
      /: not a valid policy \(see "policy validate"\)$/,
    ],
    [
      'a policy with nothing to refuse',
      { version: 1, publicAccess: 'allowed', privateAccess: 'optional' },
      [],
      /: nothing in this policy can be refused by an SCP/,
    ],
    [
      'a break-glass role that is no role ARN',
      strict,
      ['--break-glass-role', 'BreakGlass'],
      /--break-glass-role "BreakGlass": expected an IAM role ARN/,
    ],
  ])('refuses %s with one line, exit 1', async (_, policy, extra, message) => {
    // Prepare
    const path = file('refused.json', policy);

    // Act
    const result = await run(['policy', 'scp', path, '--json', ...extra]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(message);
  });

  it('--help names the condition keys', async () => {
    // Act
    const result = await run(['policy', 'scp', '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(POLICY_SCP_HELP.description.replace(/\s+/g, ' '));
  });
});

// Issue 19, finding 4: the protection SCP becomes `policy scp --protect-guard`, for the names deployed.
describe('policy scp --protect-guard', () => {
  it('--json prints the protection SCP of a single-account guard, the CDK roles its deployers', async () => {
    // Act
    const result = await run(['policy', 'scp', '--protect-guard', '--json']);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.length).toBeLessThanOrEqual(5121);
    const scp = JSON.parse(result.stdout);
    expect(scp.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'ProtectGuardResources',
      'ProtectGuardMappings',
      'ProtectGuardKeys',
      'OnlyTheGuardWritesItsRecordsAndAlerts',
      'OnlyTheGuardImportsFindings',
    ]);
    expect(scp.Statement[0].Resource).toContain('arn:aws:cloudformation:*:*:stack/EksEndpointGuard/*');
    expect(scp.Statement[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*',
      'arn:aws:iam::*:role/cdk-*-deploy-role-*',
    ]);
  });

  it('--organization names the StackSet instances and its execution role; a deployer can be named', async () => {
    // Act
    const result = await run([
      'policy',
      'scp',
      '--protect-guard',
      '--organization',
      '--stack-name',
      'platform-guard',
      '--deployer-role',
      'arn:aws:iam::*:role/stacksets-exec-*',
      '--json',
    ]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const scp = JSON.parse(result.stdout);
    expect(scp.Statement[0].Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:cloudformation:*:*:stack/StackSet-platform-guard-*/*',
        'arn:aws:iam::*:role/eks-endpoint-guard-*',
        'arn:aws:events:*:*:rule/eks-endpoint-guard*',
        'arn:aws:dynamodb:*:*:table/StackSet-platform-guard-*',
      ]),
    );
    expect(scp.Statement[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::*:role/stacksets-exec-*',
    ]);
  });

  it('says what it protects and what it cannot do', async () => {
    // Act
    const result = await run(['policy', 'scp', '--protect-guard', '--organization']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('organisation mode (StackSet members)');
    expect(result.stdout).toContain('bind the management account');
  });

  it.each([
    [
      ['policy', 'scp', 'p.json', '--protect-guard'],
      'policy scp: a policy FILE and --protect-guard exclude each other',
    ],
    [['policy', 'scp', '--organization', 'p.json'], '--organization: only with --protect-guard'],
    [['policy', 'scp'], 'policy scp: give a policy FILE, or --protect-guard'],
    [
      ['policy', 'scp', '--protect-guard', '--stack-name', 'no spaces'],
      '--stack-name "no spaces": not a CloudFormation stack or StackSet name',
    ],
  ])('%j is refused in one line', async (args, message) => {
    // Act
    const result = await run(args);

    // Assess
    expect(result).toEqual({ code: 1, stdout: '', stderr: `eks-endpoint-guard: ${message}\n` });
  });
});
