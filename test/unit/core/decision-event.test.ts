import {
  DECISION_DETAIL_TYPE,
  decisionEvent,
  entryBytes,
  MAX_ENTRY_BYTES,
  memberEventSource,
  regionOfSource,
  SWEEP_DETAIL_TYPE,
  sweepEvent,
} from '../../../functions/core/decision-event';

const BUS = 'arn:aws:events:eu-west-1:999988887777:event-bus/eks-endpoint-guard';
/** A member in us-east-1 sending to the central bus in eu-west-1. */
const TO = { busArn: BUS, source: memberEventSource('us-east-1') };
const CLUSTER_ARN = 'arn:aws:eks:us-east-1:111122223333:cluster/prod-api';

function alertJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: 'eks-endpoint-guard/alert@1',
    outcome: 'remediated',
    severity: 'warning',
    cluster: 'prod-api',
    clusterArn: CLUSTER_ARN,
    region: 'us-east-1',
    account: '111122223333',
    reason: 'public endpoint turned off',
    correlationId: 'c-1',
    time: '2026-12-01T08:00:00.000Z',
    ...extra,
  };
}

describe('decision event', () => {
  test('carries the alert JSON as detail, from the guard source, with the cluster as resource', () => {
    // Prepare
    const alert = alertJson();
    // Act
    const entry = decisionEvent(alert, TO);
    // Assess
    expect(entry).toEqual({
      EventBusName: BUS,
      Source: 'eks-endpoint-guard.us-east-1',
      DetailType: 'EKS Endpoint Guard Decision',
      Detail: JSON.stringify(alert),
      Resources: [CLUSTER_ARN],
    });
    expect(JSON.parse(entry.Detail)).toEqual(alert);
  });

  test('names no resource when the cluster ARN is not an ARN', () => {
    // Prepare
    const alert = alertJson({ clusterArn: 'prod-api' });
    // Act
    const entry = decisionEvent(alert, TO, new Date('2026-12-01T08:00:00Z'));
    // Assess
    expect(entry.Resources).toEqual([]);
    expect(entry.Time).toEqual(new Date('2026-12-01T08:00:00Z'));
    expect(entry.DetailType).toBe(DECISION_DETAIL_TYPE);
  });

  test('an oversized detail keeps the identity of the decision under the entry limit', () => {
    // Prepare: a user agent far beyond what an entry may carry
    const alert = alertJson({ trigger: { userAgent: 'x'.repeat(300_000) }, reason: 'r'.repeat(5000) });
    // Act
    const entry = decisionEvent(alert, TO);
    // Assess
    const detail = JSON.parse(entry.Detail);
    expect(entryBytes(entry)).toBeLessThan(MAX_ENTRY_BYTES);
    expect(detail).toMatchObject({
      cluster: 'prod-api',
      outcome: 'remediated',
      correlationId: 'c-1',
      truncated: true,
    });
    expect(detail.trigger).toBeUndefined();
    expect(detail.reason).toHaveLength(1000);
  });

  test('an entry just under the limit is sent whole', () => {
    // Prepare
    const base = entryBytes(decisionEvent(alertJson({ padding: '' }), TO));
    const alert = alertJson({ padding: 'p'.repeat(MAX_ENTRY_BYTES - 1024 - base) });
    // Act
    const entry = decisionEvent(alert, TO);
    // Assess
    expect(JSON.parse(entry.Detail).truncated).toBeUndefined();
    expect(entryBytes(entry)).toBe(MAX_ENTRY_BYTES - 1024);
  });

  test('entry size counts UTF-8 bytes and 14 for a time, as PutEvents does', () => {
    // Prepare
    const entry = {
      EventBusName: BUS,
      Source: 'é',
      DetailType: 'ab',
      Detail: '{}',
      Resources: ['r'],
      Time: new Date(),
    };
    // Act
    const bytes = entryBytes(entry);
    // Assess
    expect(bytes).toBe(14 + 2 + 2 + 2 + 1);
  });

  test('a sweep heartbeat is sent whatever the sweep found', () => {
    // Prepare
    const heartbeat = { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 0, sweepSchedule: 'rate(1 hour)' };
    // Act
    const entry = sweepEvent(heartbeat, TO);
    // Assess
    expect(entry.DetailType).toBe(SWEEP_DETAIL_TYPE);
    expect(entry.Source).toBe('eks-endpoint-guard.us-east-1');
    expect(JSON.parse(entry.Detail)).toEqual({ schema: 'eks-endpoint-guard/sweep@1', ...heartbeat });
  });
});

describe('the source names the member region (issue 19, finding 2)', () => {
  test.each([
    ['eks-endpoint-guard.us-east-1', 'us-east-1'],
    ['eks-endpoint-guard.ap-southeast-5', 'ap-southeast-5'],
    ['eks-endpoint-guard', undefined],
    ['eks-endpoint-guard.', undefined],
    ['eks-endpoint-guard.us-east-1.evil', undefined],
    ['someone.us-east-1', undefined],
    [42, undefined],
  ])('%j names region %j', (source, region) => {
    // Act
    const read = regionOfSource(source);
    // Assess
    expect(read).toBe(region);
  });
});
