import type { Alert } from '../../../../functions/core/alert/alert';
import { ALERT_MESSAGE_KIND, alertMessage } from '../../../../functions/core/alert/message';
import { normaliseEvent } from '../../../../functions/core/triggers/normalise';

const alert: Alert = {
  subject: '[eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
  text: 'The guard changed EKS cluster prod-api.',
  json: { schema: 'eks-endpoint-guard/alert@1', outcome: 'remediated' },
  attributes: { outcome: 'remediated', cluster: 'prod-api', severity: 'warning' },
};

const sqs = (body: string) => ({
  Records: [
    {
      messageId: 'm-1',
      eventSource: 'aws:sqs',
      body,
      receiptHandle: 'AQEBtest-handle',
      attributes: { SenderId: 'AROAEXAMPLEGUARD01:fn' },
    },
  ],
});
const context = {
  region: 'us-east-1',
  guardRoleId: 'AROAEXAMPLEGUARD01',
  now: new Date('2026-06-03T10:20:00Z'),
};

describe('queued alert messages', () => {
  it('round-trips an alert through the recheck queue', () => {
    // Act
    const { items } = normaliseEvent(sqs(alertMessage(alert, 'evt-0001')), context);

    // Assess
    expect(items).toEqual([
      {
        kind: 'alert',
        alert,
        messageId: 'm-1',
        correlationId: 'evt-0001',
        proof: {
          receiptHandle: 'AQEBtest-handle',
          unproven: expect.objectContaining({ kind: 'unreadable' }),
        },
      },
    ]);
  });

  it('reads a damaged alert as unreadable with a one-line reason', () => {
    // Prepare
    const body = JSON.stringify({
      kind: ALERT_MESSAGE_KIND,
      version: 1,
      alert: { ...alert, attributes: {} },
    });

    // Act
    const { items } = normaliseEvent(sqs(body), context);

    // Assess
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'unreadable',
        reason: 'SQS message m-1: alert.attributes.outcome: not a valid alert',
      }),
    ]);
  });
});
