import type { CommandHelp } from '../../help';

export const IAC_HELP: CommandHelp = {
  summary: 'check infrastructure code against the policy before it is deployed',
  description: `Prevention before deploy: the organisation's own policy applied, with the guard's own
rules, overrides and exemptions, to the EKS clusters of CloudFormation templates, CDK cloud
assemblies and Terraform plans, in CI and before review.`,
  examples: ['npm run cli -- iac check template.yaml --policy policy.json'],
};

export const IAC_CHECK_HELP: CommandHelp = {
  summary: 'evaluate the EKS clusters of templates, CDK assemblies and Terraform plans',
  description: `Evaluates every EKS cluster of each FILE: a CloudFormation template in JSON or YAML
(short-form tags such as !Ref and !Sub included), a CDK cloud assembly folder (cdk.out: every
template, including the aws-eks L2's Custom::AWSCDK-EKS-Cluster), or a Terraform plan in JSON
(terraform show -json PLAN). The policy's overrides and exemptions match the cluster name, or the
logical id or resource address when the name is generated or known only at deploy (the output
says so); an absent setting is the EKS default (public on, private off, 0.0.0.0/0). A setting
known only at deploy (a Ref to a resource, a condition, a value computed at apply) is never
guessed: when compliance depends on it, it is reported under the rule unknown-until-deploy. A
parameter takes its value from --parameters, else its default. Each finding names the file, the
resource, the cluster, the rule and the compliant value to write. Without --policy the live
policy is read from SSM (POLICY_PARAMETER_NAME, AWS_REGION); with it nothing calls AWS.
Exit code 0 compliant (or exempt), 3 a cluster non-compliant or not provably compliant
(--exit-zero: 0), 1 an input or the policy cannot be read (FILE:LINE:COLUMN: message).`,
  examples: [
    'npm run cli -- iac check infra/cluster.yaml --policy policy.json',
    'npx cdk synth -q && npm run cli -- iac check cdk.out --policy policy.json --format sarif > iac.sarif',
    'terraform show -json tfplan > plan.json && npm run cli -- iac check plan.json --format json',
    'npm run cli -- iac check template.json --parameters Env=prod --parameters params.json',
  ],
};
