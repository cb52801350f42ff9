import { formatPolicy, type ProtectMode, renderProtectionScp } from '../../../core/protect-guard';
import { renderScp, SCP_MAX_CHARACTERS } from '../../../core/scp';
import { CliError } from '../../cli-error';
import { EXIT_OK } from '../../exit-codes';
import type { CliIo } from '../../io';
import { ROLE_ARN } from './role-arn';
import { readCandidate } from './validate';

export interface ScpCommandOptions {
  json?: boolean;
  /** The guard's role; GUARD_ROLE_ARN when not given. */
  guardRole?: string;
  breakGlassRole?: string[];
}

/**
 * `policy scp FILE`: the service control policy that refuses, before it happens, what the guard
 * would revert; and what it cannot refuse. `--json` prints the SCP alone.
 */
export async function scpCommand(
  file: string,
  options: ScpCommandOptions,
  io: CliIo,
  env = process.env,
  now: Date = new Date(),
): Promise<number> {
  const { policy } = await readCandidate(file, io, now);
  const guardRoleArn = options.guardRole ?? env.GUARD_ROLE_ARN;
  if (guardRoleArn && !ROLE_ARN.test(guardRoleArn)) {
    throw new CliError(`guard role "${guardRoleArn}": expected an IAM role ARN`);
  }
  const rendered = renderScp(policy, {
    ...(guardRoleArn ? { guardRoleArn } : {}),
    breakGlassRoleArns: options.breakGlassRole ?? [],
    now,
  });
  if (!rendered.document) {
    throw new CliError(
      `${file}: nothing in this policy can be refused by an SCP (it neither disables the public endpoint nor requires the private one anywhere)`,
    );
  }
  if (!rendered.fits) {
    throw new CliError(
      `the SCP is ${rendered.size} characters, over the ${SCP_MAX_CHARACTERS}-character limit of AWS Organizations: use fewer override and exemption globs`,
    );
  }
  const json = JSON.stringify(rendered.document, null, 2);
  if (options.json) {
    io.out(`${json}\n`);
    return EXIT_OK;
  }
  const say = (line = '') => io.out(`${line}\n`);
  say(
    `${io.style.bold('Service control policy')} for ${file}: ${rendered.size} of ${SCP_MAX_CHARACTERS} characters`,
  );
  say();
  say('It refuses:');
  for (const line of rendered.prevents) say(`  - ${line}`);
  const exempt = [guardRoleArn, ...(options.breakGlassRole ?? [])].filter(Boolean);
  say(
    exempt.length > 0
      ? `  for everyone but ${exempt.join(', ')}`
      : '  for everyone (no guard role given: --guard-role or GUARD_ROLE_ARN; the guard only ever turns endpoints private, which this never refuses)',
  );
  say();
  say('It cannot prevent (the guard still remediates):');
  for (const line of rendered.cannotPrevent) say(`  - ${line}`);
  say();
  say(json);
  say();
  say(
    io.style.dim(
      'Attach: save the --json output, then "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name eks-endpoint-guard --description ... --content file://scp.json" and "aws organizations attach-policy --policy-id p-... --target-id ou-...".',
    ),
  );
  return EXIT_OK;
}

export interface ProtectGuardCommandOptions {
  json?: boolean;
  organization?: boolean;
  stackName?: string;
  deployerRole?: string[];
}

/**
 * `policy scp --protect-guard`: the SCP that keeps a member account's administrators from
 * disabling the guard, for the names deployed in single-account or organisation mode. Offline.
 */
export function protectGuardCommand(options: ProtectGuardCommandOptions, io: CliIo): number {
  const mode: ProtectMode = options.organization ? 'organization' : 'single';
  if (options.stackName !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(options.stackName)) {
    throw new CliError(`--stack-name "${options.stackName}": not a CloudFormation stack or StackSet name`);
  }
  const rendered = renderProtectionScp({
    mode,
    ...(options.stackName !== undefined && { stackName: options.stackName }),
    ...(options.deployerRole && { deployerRoles: options.deployerRole }),
  });
  if (!rendered.fits) {
    throw new CliError(
      `the SCP is ${rendered.size} characters, over the ${SCP_MAX_CHARACTERS}-character limit of AWS Organizations: name fewer deployer roles`,
    );
  }
  const json = formatPolicy(rendered.document);
  if (options.json) {
    io.out(`${json}\n`);
    return EXIT_OK;
  }
  const say = (line = '') => io.out(`${line}\n`);
  const where = mode === 'organization' ? 'organisation mode (StackSet members)' : 'a single-account guard';
  say(
    `${io.style.bold('Service control policy')} protecting the guard, ${where}: ${rendered.size} of ${SCP_MAX_CHARACTERS} characters`,
  );
  say();
  say('It keeps to the deployer roles:');
  for (const line of rendered.protects) say(`  - ${line}`);
  say(`  deployers: ${rendered.deployers.join(', ')}`);
  say();
  say('It cannot:');
  for (const line of rendered.cannot) say(`  - ${line}`);
  say();
  say(json);
  return EXIT_OK;
}
