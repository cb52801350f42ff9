import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildOrgApp } from '../../infra/org/app';
import { EndpointGuardStack } from '../../infra/stack';

/** The synthesised templates the charges are counted from, and how their resources are looked up. */

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export type Resources = Record<string, Resource>;

export const byType = (resources: Resources, type: string) =>
  Object.values(resources).filter((r) => r.Type === type);

export interface Templates {
  single: Resources;
  member: Resources;
  central: Resources;
}

/** The real templates: the single-account stack, the StackSet member (organisation mode: the org app gives it the central bus) and the central stack. */
export function synthesizeTemplates(): Templates {
  const context = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  const quiet = { ...context, 'aws:cdk:bundling-stacks': [] };
  const single = new App({ context: quiet, outdir: path.join(tmpdir(), `guard-cost-${process.pid}-single`) });
  const stack = new EndpointGuardStack(single, 'EksEndpointGuard');
  const singleDir = single.synth().directory;
  const org = new App({
    outdir: path.join(tmpdir(), `guard-cost-${process.pid}-org`),
    context: {
      ...quiet,
      organizationId: 'o-costmodel00',
      organizationalUnits: 'r-cost',
      regions: 'us-east-1',
      centralAccount: '222233334444',
      managementAccountId: '111111111111',
    },
  });
  buildOrgApp(org);
  const orgDir = org.synth().directory;
  const read = (file: string): Resources => JSON.parse(readFileSync(file, 'utf8')).Resources;
  return {
    single: read(path.join(singleDir, stack.templateFile)),
    member: read(path.join(orgDir, 'stackset-member', 'Member.template.json')),
    central: read(path.join(orgDir, 'EksEndpointGuardCentral.template.json')),
  };
}
