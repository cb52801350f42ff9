import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildOrgApp } from '../../../infra/org/app';

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
  options: { bundle?: boolean; outdir?: string } = {},
): App {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  buildOrgApp(app);
  return app;
}

export function templateOf(app: App, stackName: string): Template {
  const stack = app.node.findChild(stackName);
  return Template.fromStack(stack as never);
}

/** Every AwsSolutions finding left unacknowledged anywhere in the app. */
export function nagViolations(app: App): unknown[] {
  return new AwsSolutionsChecks(app).validateScope(app).violations;
}
