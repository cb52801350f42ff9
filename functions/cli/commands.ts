/**
 * What the commands run, each loaded on first use. The CLI bundle keeps this behind a second file
 * (dist/cli-commands.cjs), so that `--help` and argument errors never load the AWS SDK.
 */
export const commands = {
  invoke: () => import('./invoke'),
  check: () => import('./check'),
  audit: () => import('./audit'),
  localEnv: () => import('./local-env'),
  demo: () => import('./demo'),
  report: () => import('./commands/report'),
  errors: () => import('./errors'),
  awsTarget: () => import('./aws-target'),
  policyValidate: () => import('./commands/policy/validate'),
  policyWhatIf: () => import('./commands/policy/what-if'),
  policyPublish: () => import('./commands/policy/publish'),
  policyShow: () => import('./commands/policy/show'),
  policyScp: () => import('./commands/policy/scp'),
  iacCheck: () => import('./commands/iac/check'),
};

export type Commands = typeof commands;
