import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tags } from 'aws-cdk-lib';
import { buildRegionalGuards } from '../../../infra/multi-region';
import { newApp } from '../helpers';
import { isDashboardTagsFalsePositive, lint, ORG_CONTEXT, orgApp } from './support';

let outdir: string;
let orgTemplates: string[];
let regionTemplates: string[];

beforeAll(() => {
  // Prepare: the org app (StackSet, buckets, code, central, member) and the multi-region app, tagged as synthesised
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-org-cfn-lint-'));
  const org = orgApp(ORG_CONTEXT, { outdir: path.join(outdir, 'org'), asSynthesised: true });
  const orgDir = org.synth().directory;
  const regional = newApp({ outdir: path.join(outdir, 'regions') });
  buildRegionalGuards(regional, ['us-east-1', 'eu-west-1'], { createTrail: true });
  Tags.of(regional).add('application', 'eks-endpoint-guard');
  const regionDir = regional.synth().directory;
  // Act
  const templates = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => path.join(dir, f));
  orgTemplates = [...templates(orgDir), ...templates(path.join(orgDir, 'stackset-member'))];
  regionTemplates = templates(regionDir);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('every organisation template is synthesised: StackSet, buckets, code, central and member', () => {
  // Assess
  expect(orgTemplates.map((f) => path.basename(f)).sort()).toEqual([
    'EksEndpointGuardAssets-eu-west-1.template.json',
    'EksEndpointGuardAssets-us-east-1.template.json',
    'EksEndpointGuardCentral.template.json',
    'EksEndpointGuardCode-eu-west-1.template.json',
    'EksEndpointGuardCode-us-east-1.template.json',
    'EksEndpointGuardStackSet.template.json',
    'Member.template.json',
  ]);
});

test('cfn-lint finds nothing in the organisation and multi-region templates but the known dashboard-tags gap', () => {
  // Act
  const findings = lint([...orgTemplates, ...regionTemplates]);
  // Assess
  expect(findings).toEqual([]);
}, 120_000);

test('the known gap is filtered by resource type, not by rule', () => {
  // Prepare: the same finding on a topic's tags would be real
  const central = orgTemplates.find((f) => f.endsWith('Central.template.json')) as string;
  const finding = (id: string) => ({
    file: path.basename(central),
    rule: 'E3002',
    path: ['Resources', id, 'Properties', 'Tags'],
    message: '',
  });
  const resources = JSON.parse(readFileSync(central, 'utf8')).Resources as Record<string, { Type: string }>;
  const idOf = (type: string) => Object.keys(resources).find((id) => resources[id]?.Type === type) as string;
  // Act
  const onDashboard = isDashboardTagsFalsePositive(finding(idOf('AWS::CloudWatch::Dashboard')), [central]);
  const onTopic = isDashboardTagsFalsePositive(finding(idOf('AWS::SNS::Topic')), [central]);
  // Assess
  expect(onDashboard).toBe(true);
  expect(onTopic).toBe(false);
});
