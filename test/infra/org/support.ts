import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildOrgApp, configureOrgApp } from '../../../infra/org/app';

const CDK_JSON_CONTEXT = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'),
).context;

export const ORG_CONTEXT = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnits: 'ou-ab12-cdef3456,ou-ab12-99998888',
  regions: 'us-east-1,eu-west-1',
  homeRegion: 'us-east-1',
  centralAccount: '222233334444',
  centralRegion: 'eu-west-1',
  managementAccountId: '111111111111',
};

/** The org app as `cdk synth` builds it, with the project's feature flags and the given context. */
export function orgApp(
  context: Record<string, unknown>,
  options: { bundle?: boolean; outdir?: string; asSynthesised?: boolean } = {},
): App {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  if (options.asSynthesised) configureOrgApp(app);
  else buildOrgApp(app);
  return app;
}

export interface LintFinding {
  file: string;
  rule: string;
  path: string[];
  message: string;
}

/**
 * cfn-lint 1.51's schema lacks `Tags` on AWS::CloudWatch::Dashboard, which CloudFormation accepts:
 * that one finding, on a dashboard resource only, is known and left out; every other one counts.
 */
export function lint(files: string[]): LintFinding[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', 'W3005', '--', ...files], {
    encoding: 'utf8',
  });
  if (run.error) throw new Error(`cfn-lint could not run (${run.error.message})`);
  const findings = JSON.parse(run.stdout || '[]') as {
    Filename: string;
    Rule: { Id: string };
    Location: { Path: string[] };
    Message: string;
  }[];
  return findings
    .map((f) => ({
      file: path.basename(f.Filename),
      rule: f.Rule.Id,
      path: f.Location.Path,
      message: f.Message,
    }))
    .filter((f) => !isDashboardTagsFalsePositive(f, files));
}

/** The known false positive: E3002 on the Tags of a resource whose type is AWS::CloudWatch::Dashboard. */
export function isDashboardTagsFalsePositive(finding: LintFinding, files: string[]): boolean {
  const [section, id, properties, property] = finding.path;
  if (
    finding.rule !== 'E3002' ||
    section !== 'Resources' ||
    properties !== 'Properties' ||
    property !== 'Tags'
  )
    return false;
  const file = files.find((f) => path.basename(f) === finding.file);
  const resources = file ? JSON.parse(readFileSync(file, 'utf8')).Resources : {};
  return resources[id as string]?.Type === 'AWS::CloudWatch::Dashboard';
}

export function templateOf(app: App, stackName: string): Template {
  const stack = app.node.findChild(stackName);
  return Template.fromStack(stack as never);
}

/** Every AwsSolutions and Serverless finding left unacknowledged anywhere in the app. */
export function nagViolations(app: App): unknown[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap(
    (pack) => pack.validateScope(app).violations,
  );
}
