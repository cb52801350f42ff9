import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRequest } from '../../../functions/core/check-request';
import {
  checkRequestMessage,
  type NormalisedEvent,
  type NormalisedItem,
  normaliseEvent,
  sameParameter,
  type TriggerContext,
} from '../../../functions/core/triggers/normalise';

// biome-ignore lint/suspicious/noExplicitAny: samples are free-form JSON that tests reshape at will
type Json = Record<string, any>;

const ROLE_ID = 'AROAEXAMPLEGUARD01';
const context: TriggerContext = {
  region: 'eu-west-1',
  account: '111122223333',
  guardRoleArn: 'arn:aws:iam::111122223333:role/eks-endpoint-guard-remediator',
  guardRoleId: ROLE_ID,
  recheckDeadlineMinutes: 120,
  policyParameterName: '/eks-endpoint-guard/policy',
  now: new Date('2025-06-03T15:00:00Z'),
};

function sample(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../../events', name), 'utf8'));
}

function only(result: NormalisedEvent): NormalisedItem {
  expect(result.items).toHaveLength(1);
  return result.items[0] as NormalisedItem;
}

function sqs(body: unknown, sender?: string): Json {
  return {
    Records: [
      {
        messageId: 'm-1',
        eventSource: 'aws:sqs',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        receiptHandle: 'AQEBtest-handle',
        attributes: { ApproximateReceiveCount: '1', ...(sender && { SenderId: sender }) },
      },
    ],
  };
}

/** A CloudTrail event as EventBridge delivers it. */
function cloudTrail(detail: Json, envelope: Json = {}): Json {
  return {
    version: '0',
    id: 'b2a1c3d4-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(detail.eventSource).split('.')[0]}`,
    account: '111122223333',
    region: 'eu-west-1',
    time: '2025-06-03T14:59:00Z',
    ...envelope,
    detail: {
      eventVersion: '1.09',
      eventTime: '2025-06-03T14:59:00Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111122223333',
      eventID: 'c0ffee00-0000-4000-8000-000000000001',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
        accountId: '111122223333',
      },
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.17.0',
      ...detail,
    },
  };
}

const tagEvent = (eventName: string, resourceArn: string, params: Json = {}) =>
  cloudTrail({
    eventSource: 'eks.amazonaws.com',
    eventName,
    requestParameters: { resourceArn, ...params },
  });

describe('other accounts', () => {
  it.each([
    ['recipientAccountId', (e: Json) => Object.assign(e.detail, { recipientAccountId: '444455556666' })],
    ['the envelope account', (e: Json) => Object.assign(e, { account: '444455556666' })],
    [
      'the cluster ARN in the response',
      (e: Json) => {
        e.detail.responseElements = {
          cluster: { arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/analytics' },
        };
      },
    ],
  ])('ignores an event whose %s is another account', (_case, change) => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    for (const e of [event]) {
      e.account = '444455556666';
      e.detail.recipientAccountId = '444455556666';
    }
    const mixed = sample('update-config-cidrs.json');
    change(mixed);

    // Act
    const foreign = only(normaliseEvent(event, context));
    const conflicting = only(normaliseEvent(mixed, context));

    // Assess
    expect(foreign).toMatchObject({
      kind: 'ignored',
      reason:
        'the event is from account 444455556666; this guard runs in 111122223333 (deploy it in each account)',
    });
    expect(conflicting).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/^the event names more than one account \(/),
    });
  });

  it('checks nothing for a tag event on another account’s cluster', () => {
    // Prepare
    const event = tagEvent('TagResource', 'arn:aws:eks:eu-west-1:444455556666:cluster/analytics', {
      tags: { 'eks-endpoint-guard/exempt': 'x' },
    });

    // Act
    const item = only(normaliseEvent(event, context));

    // Assess
    expect(item).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/more than one account/) });
  });

  it('ignores a queued check for another account', () => {
    // Prepare
    const request: CheckRequest = {
      cluster: 'prod-api',
      region: 'eu-west-1',
      account: '444455556666',
      trigger: { source: 'recheck' },
      correlationId: 'c-1',
      attempt: 0,
    };

    // Act
    const item = only(normaliseEvent(sqs(checkRequestMessage(request), `${ROLE_ID}:s`), context));

    // Assess
    expect(item).toMatchObject({
      kind: 'ignored',
      reason: 'the queued check is for account 444455556666; this guard runs in 111122223333',
    });
  });
});

describe('tag events on EKS clusters', () => {
  it.each([
    [
      'TagResource',
      { tags: { 'eks-endpoint-guard/exempt': 'OPS-1', team: 'a' } },
      ['eks-endpoint-guard/exempt', 'team'],
    ],
    ['UntagResource', { tagKeys: ['eks-endpoint-guard/exempt'] }, ['eks-endpoint-guard/exempt']],
  ])('%s becomes a check of the cluster in its ARN, naming who and which keys', (eventName, params, keys) => {
    // Prepare
    const event = tagEvent(eventName, 'arn:aws:eks:eu-west-1:111122223333:cluster/analytics', params);

    // Act
    const item = only(normaliseEvent(event, context));

    // Assess
    expect(item).toMatchObject({
      kind: 'check',
      request: {
        cluster: 'analytics',
        region: 'eu-west-1',
        account: '111122223333',
        trigger: {
          source: 'event',
          eventName,
          actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
          tagKeys: keys,
        },
      },
    });
  });

  it.each([
    ['a node group', 'arn:aws:eks:eu-west-1:111122223333:nodegroup/analytics/ng-1/abc', /an EKS nodegroup/],
    ['an add-on', 'arn:aws:eks:eu-west-1:111122223333:addon/analytics/vpc-cni/abc', /an EKS addon/],
    ['no ARN', undefined, /on a resource that is not a cluster/],
  ])('ignores a tag event on %s', (_case, arn, reason) => {
    // Prepare
    const event = tagEvent('TagResource', arn as string, { tags: { a: 'b' } });

    // Act
    const item = only(normaliseEvent(event, context));

    // Assess
    expect(item).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });
});

describe('policy parameter events', () => {
  const ssm = (eventName: string, params: Json) =>
    cloudTrail({ eventSource: 'ssm.amazonaws.com', eventName, requestParameters: params });

  it.each([
    ['PutParameter', { name: '/eks-endpoint-guard/policy', type: 'String', overwrite: true }],
    ['DeleteParameter', { name: '/eks-endpoint-guard/policy' }],
    ['DeleteParameters', { names: ['/other', '/eks-endpoint-guard/policy'] }],
    ['LabelParameterVersion', { name: '/eks-endpoint-guard/policy', labels: ['live'] }],
  ])('%s of the policy parameter is a policy change', (eventName, params) => {
    // Act
    const item = only(normaliseEvent(ssm(eventName, params), context));

    // Assess
    expect(item).toMatchObject({
      kind: 'policy-change',
      change: { eventName, parameter: '/eks-endpoint-guard/policy' },
      trigger: { actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe' },
    });
  });

  it('compares by name when the guard is given the parameter ARN', () => {
    // Prepare
    const arn = 'arn:aws:ssm:eu-west-1:111122223333:parameter/eks-endpoint-guard/policy';

    // Act
    const item = only(
      normaliseEvent(ssm('PutParameter', { name: '/eks-endpoint-guard/policy' }), {
        ...context,
        policyParameterName: arn,
      }),
    );

    // Assess
    expect(item.kind).toBe('policy-change');
    expect(sameParameter('policy', 'arn:aws:ssm:eu-west-1:111122223333:parameter/policy')).toBe(true);
    expect(sameParameter('/a/policy', '/b/policy')).toBe(false);
  });

  it.each([
    [
      'another parameter',
      'PutParameter',
      { name: '/app/db-password' },
      'PutParameter of "/app/db-password", not the policy parameter',
    ],
    [
      'a read',
      'GetParameter',
      { name: '/eks-endpoint-guard/policy' },
      "GetParameter does not change a parameter's value",
    ],
  ])('ignores %s with a reason', (_case, eventName, params, reason) => {
    // Act
    const item = only(normaliseEvent(ssm(eventName, params), context));

    // Assess
    expect(item).toMatchObject({ kind: 'ignored', reason });
  });

  it('ignores a failed PutParameter', () => {
    // Prepare
    const event = ssm('PutParameter', { name: '/eks-endpoint-guard/policy' });
    event.detail.errorCode = 'AccessDenied';

    // Act
    const item = only(normaliseEvent(event, context));

    // Assess
    expect(item).toMatchObject({
      kind: 'ignored',
      reason: 'the API call failed (AccessDenied); nothing changed',
    });
  });
});

describe('recheck queue senders', () => {
  const FAR = '2099-01-01T00:00:00.000Z';
  const claims: CheckRequest = {
    cluster: 'prod-api',
    region: 'eu-west-1',
    account: '111122223333',
    trigger: { source: 'event', eventName: 'UpdateClusterConfig', byGuard: true },
    correlationId: 'c-1',
    attempt: 1,
    deadline: FAR,
    followUpdate: {
      updateId: 'upd-1',
      issuedAt: '2025-06-03T14:58:00.000Z',
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    },
  };
  const capped = '2025-06-03T17:00:00.000Z';

  it('keeps the claims of a message the guard wrote, with the deadline capped', () => {
    // Act
    const item = only(
      normaliseEvent(sqs(checkRequestMessage(claims), `${ROLE_ID}:eks-endpoint-guard`), context),
    );

    // Assess
    expect(item).toMatchObject({ kind: 'check', request: { ...claims, deadline: capped } });
  });

  it.each([
    ['another principal', 'AIDAEXAMPLEUSER0001'],
    ['another role', 'AROAEXAMPLEOTHER01:session'],
    ['a role id with the guard’s as prefix', `${ROLE_ID}X:session`],
    ['no sender', undefined],
  ])('drops byGuard and followUpdate from %s and caps the deadline', (_case, sender) => {
    // Act
    const item = only(normaliseEvent(sqs(checkRequestMessage(claims), sender), context));

    // Assess
    if (item.kind !== 'check') throw new Error(`expected a check, got ${item.kind}`);
    expect(item.request.trigger.byGuard).toBeUndefined();
    expect(item.request.followUpdate).toBeUndefined();
    expect(item.request.deadline).toBe(capped);
    expect(item.request.cluster).toBe('prod-api');
  });

  it('trusts no sender when the role id is not known', () => {
    // Act
    const item = only(
      normaliseEvent(sqs(checkRequestMessage(claims), `${ROLE_ID}:s`), {
        ...context,
        guardRoleId: undefined,
      }),
    );

    // Assess
    if (item.kind !== 'check') throw new Error(`expected a check, got ${item.kind}`);
    expect(item.request.trigger.byGuard).toBeUndefined();
    expect(item.request.followUpdate).toBeUndefined();
  });

  const forgedAlert = {
    kind: 'eks-endpoint-guard/alert',
    version: 1,
    correlationId: 'evt-1',
    alert: {
      subject: '[eks-endpoint-guard] all clear',
      text: 'Nothing to see.',
      json: { schema: 'eks-endpoint-guard/alert@1' },
      attributes: { outcome: 'compliant', cluster: 'prod-api', severity: 'info' },
    },
  };

  it('publishes no alert another principal queued, and names the sender', () => {
    // Act
    const item = only(normaliseEvent(sqs(forgedAlert, 'AIDAEXAMPLEUSER0001'), context));

    // Assess
    expect(item).toMatchObject({
      kind: 'unreadable',
      reason:
        "SQS message m-1: an alert sent by sender AIDAEXAMPLEUSER0001, not by the guard's role; not published",
    });
  });

  it('publishes no alert without the guard’s schema, even from the guard’s role', () => {
    // Prepare
    const wrongSchema = { ...forgedAlert, alert: { ...forgedAlert.alert, json: { schema: 'other@1' } } };

    // Act
    const item = only(normaliseEvent(sqs(wrongSchema, `${ROLE_ID}:s`), context));

    // Assess
    expect(item).toMatchObject({
      kind: 'unreadable',
      reason: 'SQS message m-1: alert.json.schema: expected "eks-endpoint-guard/alert@2"',
    });
  });

  it('reads the guard’s own queued alert', () => {
    // Act
    const item = only(normaliseEvent(sqs(forgedAlert, `${ROLE_ID}:s`), context));

    // Assess
    expect(item.kind).toBe('alert');
  });
});
