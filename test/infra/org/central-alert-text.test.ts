import { Match, Template } from 'aws-cdk-lib/assertions';
import { CentralStack } from '../../../infra/org/central-stack';
import { newApp } from '../helpers';

/** What EventBridge does with an input transformer: each <name> becomes the value at its path. */
function transform(
  transformer: { InputPathsMap: Record<string, string>; InputTemplate: string },
  event: unknown,
) {
  const at = (path: string) =>
    path
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
  const text = transformer.InputTemplate.replace(/<([A-Za-z0-9_-]+)>/g, (_, name: string) =>
    String(at(transformer.InputPathsMap[name] as string)),
  );
  return JSON.parse(text) as string;
}

let recorderTarget: Record<string, unknown>;
let snsTarget: {
  Arn: unknown;
  InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
};

beforeAll(() => {
  // Prepare / Act
  const template = Template.fromStack(
    new CentralStack(newApp(), 'Central', {
      regions: ['us-east-1', 'eu-west-1'],
      organizationId: 'o-a1b2c3d4e5',
    }),
  );
  const rules = Object.values(
    template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: Match.objectLike({ 'detail-type': ['EKS Endpoint Guard Decision'] }) },
    }),
  );
  const targets = rules.flatMap((rule) => rule.Properties.Targets);
  snsTarget = targets.find((t: { Arn: unknown }) => JSON.stringify(t.Arn).includes('Alerts'));
  recorderTarget = targets.find((t: { Arn: unknown }) => !JSON.stringify(t.Arn).includes('Alerts'));
}, 60_000);

describe('the central topic gets a readable alert, not the EventBridge envelope', () => {
  test('the topic target has an input transformer; the recorder target gets the whole event', () => {
    // Assess
    expect(snsTarget.InputTransformer).toBeDefined();
    expect(recorderTarget).toBeDefined();
    expect(recorderTarget.InputTransformer).toBeUndefined();
    expect(Object.values(snsTarget.InputTransformer.InputPathsMap).sort()).toEqual([
      '$.account',
      '$.detail.cluster',
      '$.detail.correlationId',
      '$.detail.outcome',
      '$.detail.reason',
      '$.detail.severity',
      '$.detail.time',
      '$.source',
    ]);
  });

  // Issue 19, finding 2: the envelope's region is the bus's, never the member's.
  test('a member decision reads as text naming the account from the envelope and the region from the source', () => {
    // Prepare: sent from us-east-1 to the bus in eu-west-1, as EventBridge delivers it
    const event = {
      account: '111122223333',
      region: 'eu-west-1',
      source: 'eks-endpoint-guard.us-east-1',
      'detail-type': 'EKS Endpoint Guard Decision',
      detail: {
        account: '999999999999',
        outcome: 'remediated',
        severity: 'warning',
        cluster: 'prod-api',
        reason: 'public endpoint turned off',
        time: '2026-12-01T08:00:00.000Z',
        correlationId: 'c-1',
      },
    };
    // Act
    const text = transform(snsTarget.InputTransformer, event);
    // Assess
    expect(text.split('\n')).toEqual([
      'EKS endpoint guard: remediated (warning)',
      'Cluster prod-api in account 111122223333, sent by eks-endpoint-guard.us-east-1',
      'public endpoint turned off',
      'Time 2026-12-01T08:00:00.000Z, correlation id c-1.',
      'Details: eks-endpoint-guard audit --account 111122223333 --cluster prod-api, on the central audit table.',
    ]);
    expect(text).not.toContain('999999999999');
  });
});
