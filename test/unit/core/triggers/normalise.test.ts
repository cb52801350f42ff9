import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CheckRequest } from '../../../../functions/core/check-request';
import {
  CHECK_REQUEST_KIND,
  checkRequestMessage,
  GUARD_TOKEN_PREFIX,
  isGuardOwnChange,
  isSessionOfRole,
  type NormalisedEvent,
  type NormalisedItem,
  normaliseEvent,
  type TriggerContext,
} from '../../../../functions/core/triggers/normalise';

// biome-ignore lint/suspicious/noExplicitAny: samples are free-form JSON that tests reshape at will
type Json = Record<string, any>;
type Skipped = Extract<NormalisedItem, { kind: 'ignored' } | { kind: 'unreadable' }>;

const context: TriggerContext = {
  region: 'eu-west-1',
  account: '123456789012',
  guardRoleArn: 'arn:aws:iam::123456789012:role/guard/eks-endpoint-guard-remediator',
  guardRoleId: 'AROAEXAMPLEGUARD01',
  recheckDeadlineMinutes: 120,
  policyParameterName: '/eks-endpoint-guard/policy',
  now: new Date('2025-06-03T15:00:00Z'),
};

function sample(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../../../events', name), 'utf8'));
}

function onlyItem(result: NormalisedEvent): NormalisedItem {
  expect(result.items).toHaveLength(1);
  return result.items[0] as NormalisedItem;
}

function skippedOf(result: NormalisedEvent): Skipped {
  const item = onlyItem(result);
  if (item.kind !== 'ignored' && item.kind !== 'unreadable') {
    throw new Error(`expected an ignored or unreadable item, got ${JSON.stringify(item)}`);
  }
  return item;
}

function checkOf(result: NormalisedEvent): CheckRequest {
  const item = onlyItem(result);
  if (item.kind !== 'check') throw new Error(`expected a check, got ${JSON.stringify(item)}`);
  return item.request;
}

const GUARD_SENDER = 'AROAEXAMPLEGUARD01:eks-endpoint-guard-remediator';

function sqsEvent(...bodies: unknown[]): Json {
  return sqsEventFrom(GUARD_SENDER, ...bodies);
}

function sqsEventFrom(sender: string | undefined, ...bodies: unknown[]): Json {
  return {
    Records: bodies.map((body, index) => ({
      messageId: `0b7e4c1a-2d3f-4e5a-9b6c-7d8e9f0a1b2${index}`,
      receiptHandle: 'AQEBexample',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', ...(sender && { SenderId: sender }) },
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:eks-endpoint-guard-recheck',
      awsRegion: 'eu-west-1',
    })),
  };
}

const validRequest: CheckRequest = {
  cluster: 'prod-api',
  region: 'eu-west-1',
  account: '123456789012',
  trigger: { source: 'recheck', eventId: 'e1d2c3b4-a5f6-4789-8abc-def012345678' },
  correlationId: 'e1d2c3b4-a5f6-4789-8abc-def012345678',
  attempt: 2,
  deadline: '2025-06-03T17:00:00.000Z',
};

describe('normaliseEvent: CloudTrail events from EventBridge', () => {
  it('turns a CreateCluster without endpoint fields into a check request', () => {
    // Prepare
    const event = sample('create-cluster-public.json');

    // Act
    const result = normaliseEvent(event, context);

    // Assess
    expect(result.shape).toBe('cloudtrail');
    expect(checkOf(result)).toEqual({
      cluster: 'prod-api',
      region: 'us-east-1',
      account: '123456789012',
      trigger: {
        source: 'event',
        eventId: event.detail.eventID,
        eventName: 'CreateCluster',
        eventTime: event.detail.eventTime,
        actorArn: 'arn:aws:iam::123456789012:user/platform-ci',
        sourceIp: '198.51.100.23',
        userAgent: event.detail.userAgent,
      },
      correlationId: event.detail.eventID,
      attempt: 0,
    });
  });

  it.each([
    ['create-cluster-private.json', 'payments', 'CreateCluster'],
    ['update-config-cidrs.json', 'analytics', 'UpdateClusterConfig'],
    ['create-cluster-legacy-2018.json', 'legacy-batch', 'CreateCluster'],
  ])('checks the cluster named in %s', (file, cluster, eventName) => {
    // Prepare
    const event = sample(file);

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.cluster).toBe(cluster);
    expect(request.trigger.eventName).toBe(eventName);
    expect(request.trigger.byGuard).toBeUndefined();
  });

  it('names the assumed-role session as the actor', () => {
    // Prepare
    const event = sample('update-config-open-world.json');

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.trigger.actorArn).toBe('arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe');
    expect(request.trigger.sourceIp).toBe('198.51.100.77');
  });

  it('still checks an UpdateClusterConfig that changed only logging', () => {
    // Prepare
    const event = sample('update-config-logging.json');

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request).toMatchObject({ cluster: 'prod-api', attempt: 0 });
  });

  it('ignores a failed API call and says why', () => {
    // Prepare
    const event = sample('update-config-failed.json');

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item).toEqual({
      kind: 'ignored',
      cluster: 'prod-api',
      region: 'us-east-1',
      reason: 'the API call failed (AccessDeniedException); nothing changed',
      trigger: expect.objectContaining({ source: 'event', eventName: 'UpdateClusterConfig' }),
      correlationId: event.detail.eventID,
    });
  });

  it('gives duplicates of one CloudTrail event the same correlation id', () => {
    // Prepare
    const first = sample('update-config-open-world.json');
    const duplicate = { ...first, id: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', time: '2025-06-03T10:19:30Z' };

    // Act
    const ids = [first, duplicate].map((event) => checkOf(normaliseEvent(event, context)).correlationId);

    // Assess
    expect(ids).toEqual([first.detail.eventID, first.detail.eventID]);
  });

  it('falls back to the EventBridge id when the record has no eventID', () => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    delete event.detail.eventID;

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.correlationId).toBe(event.id);
  });

  it('takes the region and account from the envelope, then from the context', () => {
    // Prepare
    const envelopeOnly = sample('update-config-cidrs.json');
    delete envelopeOnly.detail.awsRegion;
    delete envelopeOnly.detail.recipientAccountId;
    envelopeOnly.region = 'us-west-2';
    const neither = sample('update-config-cidrs.json');
    for (const key of ['awsRegion', 'recipientAccountId']) delete neither.detail[key];
    for (const key of ['region', 'account']) delete neither[key];

    // Act
    const fromEnvelope = checkOf(normaliseEvent(envelopeOnly, { ...context, account: undefined }));
    const fromContext = checkOf(normaliseEvent(neither, context));

    // Assess
    expect([fromEnvelope.region, fromEnvelope.account]).toEqual(['us-west-2', '123456789012']);
    expect([fromContext.region, fromContext.account]).toEqual(['eu-west-1', '123456789012']);
  });

  it.each([
    [
      'the role behind a session without an ARN',
      {
        type: 'AssumedRole',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/Deployer' } },
      },
      'arn:aws:iam::123456789012:role/Deployer',
    ],
    [
      'the invoking service',
      { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      'cloudformation.amazonaws.com',
    ],
    ['nobody when the identity is missing', undefined, undefined],
  ])('names %s as the actor', (_case, userIdentity, actorArn) => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    event.detail.userIdentity = userIdentity;

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.trigger.actorArn).toBe(actorArn);
  });

  it('ignores API calls of other services and names what it saw', () => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    event.source = 'aws.ec2';
    event.detail.eventSource = 'ec2.amazonaws.com';
    event.detail.eventName = 'ModifyVpcAttribute';

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item.kind).toBe('ignored');
    expect(item.reason).toBe('ModifyVpcAttribute from ec2.amazonaws.com is not an EKS API call');
  });

  it('ignores EKS calls that cannot change endpoint access', () => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    event.detail.eventName = 'UpdateClusterVersion';

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item).toMatchObject({
      kind: 'ignored',
      cluster: 'analytics',
      reason:
        'UpdateClusterVersion does not change endpoint access or exemptions (only CreateCluster, UpdateClusterConfig, TagResource, UntagResource do)',
    });
  });

  it('ignores other EventBridge events', () => {
    // Prepare
    const event: Json = {
      ...sample('scheduled-sweep.json'),
      'detail-type': 'EKS Add-on State Change',
      source: 'aws.eks',
    };

    // Act
    const result = normaliseEvent(event, context);

    // Assess
    expect(result.shape).toBe('unknown');
    expect(skippedOf(result)).toMatchObject({
      kind: 'ignored',
      correlationId: event.id,
      region: 'us-east-1',
    });
    expect(skippedOf(result).reason).toContain('"EKS Add-on State Change" from aws.eks');
  });

  it('reads a bare CloudTrail record, as saved from the console', () => {
    // Prepare
    const record = sample('update-config-open-world.json').detail;

    // Act
    const result = normaliseEvent(record, context);

    // Assess
    expect(result.shape).toBe('cloudtrail');
    expect(checkOf(result).correlationId).toBe(record.eventID);
  });

  it.each([
    ['missing', undefined, 'got nothing'],
    ['not a cluster name', '../prod', 'got "../prod"'],
    ['a number', 42, 'got 42'],
  ])('cannot read an event whose cluster name is %s', (_case, name, got) => {
    // Prepare
    const event = sample('update-config-cidrs.json');
    event.detail.requestParameters.name = name;

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item).toEqual({
      kind: 'unreadable',
      reason: `CloudTrail event ${event.detail.eventID}: requestParameters.name: expected a cluster name, ${got}`,
      correlationId: event.detail.eventID,
    });
  });
});

describe('the guard recognises its own endpoint updates', () => {
  function guardUpdate(change: (detail: Json) => void): Json {
    const event = sample('update-config-cidrs.json');
    change(event.detail);
    return event;
  }

  const GUARD_SESSION = {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEGUARD01:eks-endpoint-guard-remediator',
    arn: 'arn:aws:sts::123456789012:assumed-role/eks-endpoint-guard-remediator/eks-endpoint-guard-remediator',
    accountId: '123456789012',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: 'arn:aws:iam::123456789012:role/guard/eks-endpoint-guard-remediator',
        accountId: '123456789012',
      },
    },
  };
  const GUARD_TOKEN = `${GUARD_TOKEN_PREFIX}4d1c0b9a8f7e6d5c`;

  it.each([
    ['with the session context', GUARD_SESSION],
    ['by the session ARN alone', { type: 'AssumedRole', arn: GUARD_SESSION.arn }],
    [
      'under any session name',
      { ...GUARD_SESSION, arn: GUARD_SESSION.arn.replace(/[^/]+$/, 'other-session') },
    ],
  ])('by the identity of its role %s, and still checks the cluster', (_case, identity) => {
    // Prepare
    const event = guardUpdate((d) => {
      d.userIdentity = identity;
      d.requestParameters.clientRequestToken = GUARD_TOKEN;
    });

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.trigger.byGuard).toBe(true);
    expect(request.cluster).toBe('analytics');
  });

  it.each([
    ['the token alone, from another principal', (d: Json) => void d],
    [
      'a session of the role without the token',
      (d: Json) => {
        d.userIdentity = GUARD_SESSION;
        delete d.requestParameters.clientRequestToken;
      },
    ],
    [
      'a same-named role in another account',
      (d: Json) => {
        d.userIdentity = {
          ...GUARD_SESSION,
          arn: GUARD_SESSION.arn.replace('123456789012', '444455556666'),
          accountId: '444455556666',
          sessionContext: undefined,
        };
      },
    ],
    [
      'a session whose issuer is another role',
      (d: Json) => {
        d.userIdentity = {
          ...GUARD_SESSION,
          sessionContext: {
            sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator' },
          },
        };
      },
    ],
    [
      'the role named as an IAM user',
      (d: Json) => {
        d.userIdentity = { ...GUARD_SESSION, type: 'IAMUser' };
      },
    ],
    [
      'an identity claiming the account in accountId only',
      (d: Json) => {
        d.userIdentity = { ...GUARD_SESSION, accountId: '444455556666' };
      },
    ],
  ])('not by %s', (_case, change) => {
    // Prepare
    const event = guardUpdate((d) => {
      d.requestParameters.clientRequestToken = GUARD_TOKEN;
      change(d);
    });

    // Act
    const request = checkOf(normaliseEvent(event, context));

    // Assess
    expect(request.trigger.byGuard).toBeUndefined();
  });

  it('does not take a person for the guard', () => {
    // Prepare
    const event = sample('update-config-open-world.json');

    // Act
    const own = isGuardOwnChange(event.detail, context.guardRoleArn);

    // Assess
    expect(own).toBe(false);
  });

  it('does not recognise the role without knowing it', () => {
    // Prepare
    const event = guardUpdate((d) => {
      d.userIdentity = GUARD_SESSION;
      d.requestParameters.clientRequestToken = GUARD_TOKEN;
    });

    // Act
    const request = checkOf(normaliseEvent(event, { ...context, guardRoleArn: undefined }));

    // Assess
    expect(request.trigger.byGuard).toBeUndefined();
  });

  it.each([
    [
      'a session of the role',
      'arn:aws:sts::123456789012:assumed-role/Remediator/fn',
      'arn:aws:iam::123456789012:role/Remediator',
      true,
    ],
    [
      'a session of a role with a path',
      'arn:aws:sts::123456789012:assumed-role/Remediator/fn',
      'arn:aws:iam::123456789012:role/a/b/Remediator',
      true,
    ],
    [
      'the role ARN itself',
      'arn:aws:iam::123456789012:role/Remediator',
      'arn:aws:iam::123456789012:role/Remediator',
      true,
    ],
    [
      'another account',
      'arn:aws:sts::444455556666:assumed-role/Remediator/fn',
      'arn:aws:iam::123456789012:role/Remediator',
      false,
    ],
    [
      'another role',
      'arn:aws:sts::123456789012:assumed-role/RemediatorX/fn',
      'arn:aws:iam::123456789012:role/Remediator',
      false,
    ],
    [
      'another partition',
      'arn:aws-cn:sts::123456789012:assumed-role/Remediator/fn',
      'arn:aws:iam::123456789012:role/Remediator',
      false,
    ],
    [
      'a user',
      'arn:aws:iam::123456789012:user/Remediator',
      'arn:aws:iam::123456789012:role/Remediator',
      false,
    ],
    ['no principal', undefined, 'arn:aws:iam::123456789012:role/Remediator', false],
  ])('isSessionOfRole: %s → %s', (_case, principal, role, expected) => {
    // Act
    const matches = isSessionOfRole(principal, role);

    // Assess
    expect(matches).toBe(expected);
  });
});

describe('normaliseEvent: the sweep schedule', () => {
  it('asks for a sweep and checks nothing itself', () => {
    // Prepare
    const event = sample('scheduled-sweep.json');

    // Act
    const result = normaliseEvent(event, context);

    // Assess
    expect(result).toEqual({
      shape: 'schedule',
      sweep: {
        correlationId: `sweep-${event.id}`,
        trigger: { source: 'sweep', eventId: event.id, eventTime: '2025-06-03T15:00:00Z' },
      },
      items: [],
    });
  });
  it('keeps the sweep id within the 128-character id limit for a long event id', () => {
    // Prepare
    const event = { ...sample('scheduled-sweep.json'), id: `e${'x'.repeat(127)}` };
    const other = { ...event, id: `e${'x'.repeat(126)}y` };

    // Act
    const sweep = normaliseEvent(event, context).sweep;
    const otherSweep = normaliseEvent(other, context).sweep;

    // Assess
    expect(sweep?.correlationId.length).toBeLessThanOrEqual(128);
    expect(sweep?.correlationId).toMatch(/^sweep-ex+~[0-9a-f]{10}$/);
    expect(sweep?.trigger.eventId).toBe(event.id);
    expect(otherSweep?.correlationId).not.toBe(sweep?.correlationId);
  });
});

describe('normaliseEvent: recheck messages from SQS', () => {
  it('reads the sample recheck message', () => {
    // Prepare
    const event = sample('recheck-message.json');
    const body = JSON.parse(event.Records[0].body);

    // Act
    const result = normaliseEvent(event, context);

    // Assess
    expect(result.shape).toBe('sqs');
    expect(onlyItem(result)).toEqual({
      kind: 'check',
      request: body.request,
      messageId: event.Records[0].messageId,
    });
  });

  it('reads back what checkRequestMessage wrote, follow-up included', () => {
    // Prepare
    const request: CheckRequest = {
      ...validRequest,
      trigger: { ...validRequest.trigger, byGuard: true },
      followUpdate: {
        updateId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
        issuedAt: '2025-06-03T14:58:00.000Z',
        before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      },
    };

    // Act
    const read = checkOf(normaliseEvent(sqsEvent(checkRequestMessage(request)), context));

    // Assess
    expect(JSON.parse(checkRequestMessage(request))).toMatchObject({ kind: CHECK_REQUEST_KIND, version: 1 });
    expect(read).toEqual(request);
  });

  it.each([
    ['a body that is not JSON', '{"kind": "eks-endpoint-guard/check-request",', 'body is not JSON'],
    [
      'a message of another kind',
      { kind: 'something-else', version: 1 },
      'kind: expected "eks-endpoint-guard/check-request", got "something-else"',
    ],
    [
      'a newer message version',
      { kind: CHECK_REQUEST_KIND, version: 2, request: validRequest },
      'version: expected 1, got 2',
    ],
    ['no request', { kind: CHECK_REQUEST_KIND, version: 1 }, 'request: is required'],
    [
      'a numeric cluster',
      { ...validRequest, cluster: 42 },
      'request.cluster: expected a cluster name, got 42',
    ],
    [
      'an invalid cluster name',
      { ...validRequest, cluster: '-prod' },
      'request.cluster: expected a cluster name, got "-prod"',
    ],
    ['a missing region', { ...validRequest, region: undefined }, 'request.region: is required'],
    ['a negative attempt', { ...validRequest, attempt: -1 }, 'request.attempt: expected 0 or more, got -1'],
    [
      'a fractional attempt',
      { ...validRequest, attempt: 1.5 },
      'request.attempt: expected a whole number, got 1.5',
    ],
    [
      'an unknown trigger source',
      { ...validRequest, trigger: { source: 'cron' } },
      'request.trigger.source: expected "event", "sweep", "recheck" or "cli", got "cron"',
    ],
    [
      'a deadline that is not a time',
      { ...validRequest, deadline: 'tomorrow' },
      'request.deadline: expected an ISO 8601 time, got "tomorrow"',
    ],
    [
      'a follow-up with bad CIDRs',
      {
        ...validRequest,
        followUpdate: {
          updateId: 'u',
          issuedAt: '2025-06-03T14:58:00Z',
          before: { publicAccess: true, privateAccess: false, publicAccessCidrs: [7] },
          after: { publicAccess: false, privateAccess: true, publicAccessCidrs: [] },
        },
      },
      'request.followUpdate.before.publicAccessCidrs[0]: expected a CIDR block, got 7',
    ],
  ])('says what is wrong with %s', (_case, content, problem) => {
    // Prepare
    const body =
      typeof content === 'string' || 'kind' in content
        ? content
        : { kind: CHECK_REQUEST_KIND, version: 1, request: content };
    const event = sqsEvent(body);
    const messageId = event.Records[0].messageId;

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item.kind).toBe('unreadable');
    expect(item.reason).toBe(`SQS message ${messageId}: ${problem}`);
    expect(item.messageId).toBe(messageId);
  });

  it('counts the other problems of a broken request', () => {
    // Prepare
    const event = sqsEvent({ kind: CHECK_REQUEST_KIND, version: 1, request: { cluster: 42 } });

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item.reason).toMatch(/: request\.cluster: expected a cluster name, got 42 \(and \d+ more\)$/);
  });

  it('reads each record of a batch on its own', () => {
    // Prepare
    const event = sqsEvent(checkRequestMessage(validRequest), 'not json', checkRequestMessage(validRequest));
    delete event.Records[1].messageId;

    // Act
    const items = normaliseEvent(event, context).items;

    // Assess
    expect(items.map((item) => item.kind)).toEqual(['check', 'unreadable', 'check']);
    expect(items[1]).toMatchObject({ reason: 'SQS record 1: body is not JSON' });
    expect(items[2]?.messageId).toBe(event.Records[2].messageId);
  });

  it('ties a broken request back to its correlation id', () => {
    // Prepare
    const event = sqsEvent({
      kind: CHECK_REQUEST_KIND,
      version: 1,
      request: { ...validRequest, attempt: 'x' },
    });

    // Act
    const item = skippedOf(normaliseEvent(event, context));

    // Assess
    expect(item.correlationId).toBe(validRequest.correlationId);
  });
});

describe('normaliseEvent: shapes it cannot read', () => {
  it.each([
    ['null', null, 'expected an event object, got null'],
    ['a number', 42, 'expected an event object, got 42'],
    ['a string', 'CreateCluster', 'expected an event object, got "CreateCluster"'],
    ['an array', [{ id: 1 }], 'expected an event object, got an array'],
    ['an empty object', {}, 'not an EventBridge, schedule or SQS event (fields: none)'],
    [
      'an unknown object',
      { hello: 'world', n: 1 },
      'not an EventBridge, schedule or SQS event (fields: hello, n)',
    ],
    [
      'records of another service',
      { Records: [{ eventSource: 'aws:s3' }] },
      'the event has a Records list but no SQS messages',
    ],
  ])('reports %s as unreadable', (_case, event, reason) => {
    // Act
    const result = normaliseEvent(event, context);

    // Assess
    expect(result.shape).toBe('unknown');
    expect(skippedOf(result)).toEqual({
      kind: 'unreadable',
      reason,
      correlationId: expect.stringMatching(/^sha256-[0-9a-f]{16}$/),
    });
  });

  it('derives a stable correlation id from the input', () => {
    // Act
    const [a, b, c] = [{ x: 1 }, { x: 1 }, { x: 2 }].map(
      (event) => skippedOf(normaliseEvent(event, context)).correlationId,
    );

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('uses the event id when the unreadable event has one', () => {
    // Act
    const item = skippedOf(normaliseEvent({ id: 'abc-123' }, context));

    // Assess
    expect(item.correlationId).toBe('abc-123');
  });
});

describe('normaliseEvent never throws', () => {
  const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
  const samples = [
    'create-cluster-public.json',
    'create-cluster-private.json',
    'create-cluster-legacy-2018.json',
    'update-config-open-world.json',
    'update-config-cidrs.json',
    'update-config-logging.json',
    'update-config-failed.json',
    'scheduled-sweep.json',
    'recheck-message.json',
  ].map(sample);

  /** Every item is a valid request (it survives a trip through the queue) or says why it is not one. */
  function assertWellFormed(result: NormalisedEvent): void {
    expect(['cloudtrail', 'schedule', 'sqs', 'unknown']).toContain(result.shape);
    expect(() => JSON.stringify(result)).not.toThrow();
    for (const item of result.items) {
      if (item.kind === 'check') {
        expect(item.request.cluster).toMatch(CLUSTER_NAME);
        const again = normaliseEvent(sqsEvent(checkRequestMessage(item.request)), context);
        expect(again.items[0]).toEqual({
          kind: 'check',
          request: item.request,
          messageId: expect.any(String),
        });
      } else {
        // Arbitrary input never forms a queued alert.
        if (
          item.kind === 'alert' ||
          item.kind === 'decision' ||
          item.kind === 'decision-event' ||
          item.kind === 'delivery'
        )
          throw new Error(`arbitrary input read as a queued ${item.kind}`);
        if (item.kind === 'policy-change') throw new Error('arbitrary input read as a policy change');
        expect(item.reason.length).toBeGreaterThan(0);
        expect(item.reason).not.toContain('\n');
        expect(item.reason).not.toMatch(/^could not read the event/);
        expect(item.correlationId.length).toBeGreaterThan(0);
      }
    }
  }

  /** Every path into a sample; an SQS body is opened up so that the request inside gets mutated too. */
  function paths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value !== 'object' || value === null) return [prefix];
    return [prefix, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...prefix, key]))];
  }

  function openBodies(event: Json): Json {
    const copy = structuredClone(event);
    for (const r of copy.Records ?? []) r.body = JSON.parse(r.body);
    return copy;
  }

  function mutate(event: Json, changes: [string[], unknown][]): unknown {
    let root: unknown = openBodies(event);
    for (const [path, value] of changes) {
      if (path.length === 0) {
        root = value;
        continue;
      }
      // biome-ignore lint/suspicious/noExplicitAny: walking arbitrary JSON
      let parent: any = root;
      for (const key of path.slice(0, -1))
        parent = typeof parent === 'object' && parent !== null ? parent[key] : undefined;
      if (typeof parent !== 'object' || parent === null) continue;
      const last = path[path.length - 1] as string;
      try {
        if (value === undefined) delete parent[last];
        else parent[last] = value;
      } catch {
        // A typed array or frozen value from an earlier change refuses it: keep going.
      }
    }
    const records = (root as Json | null)?.Records;
    if (Array.isArray(records)) {
      for (const r of records)
        if (r && typeof r === 'object' && typeof r.body !== 'string') r.body = bodyText(r.body);
    }
    return root;
  }

  function bodyText(body: unknown): unknown {
    try {
      return JSON.stringify(body);
    } catch {
      return body;
    }
  }

  const anything = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    stringUnit: 'binary',
  });

  it('for any value at all', () => {
    fc.assert(
      fc.property(anything, (event) => {
        assertWellFormed(normaliseEvent(event, context));
      }),
      { numRuns: 10_000 },
    );
  });

  it('for valid events with fields removed or replaced', () => {
    const mutated = fc.constantFrom(...samples).chain((event) =>
      fc
        .array(
          fc.tuple(fc.constantFrom(...paths(openBodies(event))), fc.option(anything, { nil: undefined })),
          {
            minLength: 1,
            maxLength: 3,
          },
        )
        .map((changes) => mutate(event, changes)),
    );
    fc.assert(
      fc.property(mutated, (event) => {
        assertWellFormed(normaliseEvent(event, context));
      }),
      { numRuns: 10_000 },
    );
  });
});
