import fc from 'fast-check';
import { auditItem } from '../../../functions/aws/audit-store';
import { alertFor } from '../../../functions/core/alert/alert';
import { alertMessage } from '../../../functions/core/alert/message';
import type { CheckRequest } from '../../../functions/core/check-request';
import { decisionMessage } from '../../../functions/core/decision-message';
import { boundedId, clusterCorrelationId, MAX_ID_LENGTH } from '../../../functions/core/ids';
import { clientRequestToken } from '../../../functions/core/request-token';
import type { CheckResult } from '../../../functions/core/result';
import { checkRequestMessage, normaliseEvent } from '../../../functions/core/triggers/normalise';

const FIRST = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
const REST = [...FIRST, '_', '-'];
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

/** Every legal EKS cluster name, 1-100 characters, long ones as often as short ones. */
const clusterNameArb = fc
  .tuple(fc.constantFrom(...FIRST), fc.integer({ min: 0, max: 99 }))
  .chain(([first, length]) =>
    fc
      .array(fc.constantFrom(...REST), { minLength: length, maxLength: length })
      .map((rest) => `${first}${rest.join('')}`),
  );

/** Sweep ids as the schedule (event id), the CLI and a fingerprint make them. */
const sweepIdArb = fc.oneof(
  fc.uuid().map((id) => `sweep-${id}`),
  fc
    .array(fc.constantFrom(...PRINTABLE), { minLength: 1, maxLength: 128 })
    .map((id) => `sweep-${id.join('')}`),
  fc.constant('check-20260603T102000Z-4f1c2a9e'),
);

const OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const CLOSED = { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] };
const GUARD_ROLE_ID = 'AROAEXAMPLEROLEID0009';
const CONTEXT = {
  region: 'us-east-1',
  account: '111122223333',
  guardRoleId: GUARD_ROLE_ID,
  now: new Date('2026-06-03T10:20:00Z'),
};

function requestOf(sweepId: string, cluster: string): CheckRequest {
  return {
    cluster,
    region: 'us-east-1',
    account: '111122223333',
    trigger: { source: 'sweep', eventId: sweepId.slice(6), eventTime: '2026-06-03T10:20:00Z' },
    correlationId: clusterCorrelationId(sweepId, cluster),
    attempt: 0,
  };
}

/** The queue message as SQS hands it to the function, read back through the trigger reader. */
function throughQueue(body: string) {
  // Sent by a session of the guard's role, as the guard's own messages are.
  const attributes = { SenderId: `${GUARD_ROLE_ID}:remediator` };
  const event = {
    Records: [
      { eventSource: 'aws:sqs', messageId: 'm-1', receiptHandle: 'AQEBtest-handle', body, attributes },
    ],
  };
  return normaliseEvent(event, CONTEXT).items[0];
}

describe('clusterCorrelationId', () => {
  it('is `<sweepId>/<cluster>` while that fits', () => {
    // Act
    const id = clusterCorrelationId('sweep-3f8a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8', 'prod-api');

    // Assess
    expect(id).toBe('sweep-3f8a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8/prod-api');
  });

  it('shortens the sweep id, never the name, when a long name leaves no room', () => {
    // Prepare
    const name = `a${'b'.repeat(99)}`;

    // Act
    const id = clusterCorrelationId('sweep-3f8a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8', name);

    // Assess
    expect(id).toMatch(new RegExp(`^sweep-3f8a2b1c-4~[0-9a-f]{10}/${name}$`));
    expect(id).toHaveLength(MAX_ID_LENGTH);
  });

  it('keeps every id within every limit it meets, for any legal name and sweep id', () => {
    fc.assert(
      fc.property(sweepIdArb, clusterNameArb, (sweepId, cluster) => {
        // Prepare
        const request = requestOf(sweepId, cluster);
        const result: CheckResult = {
          ...request,
          outcome: 'remediated',
          reason: 'public endpoint is open to 0.0.0.0/0; changed',
          time: '2026-06-03T10:20:00.000Z',
          before: OPEN,
          after: CLOSED,
          updateId: 'upd-0001',
        };
        const followUp: CheckRequest = {
          ...request,
          deadline: '2026-06-03T12:20:00.000Z',
          followUpdate: { updateId: 'upd-0001', issuedAt: result.time, before: OPEN, after: CLOSED },
        };
        const alert = alertFor(result, { exemptionTag: 'eks-endpoint-guard/exempt', policyParameter: '/p' });

        // Act
        const id = request.correlationId;
        const item = auditItem(result, 30);
        const token = clientRequestToken(id, cluster, OPEN, CLOSED);
        const check = throughQueue(checkRequestMessage(request));
        const follow = throughQueue(checkRequestMessage(followUp));
        const queuedAlert = alert && throughQueue(alertMessage(alert, id));
        const decision = { result, notify: true, record: true, followUp: true };
        const queuedDecision = throughQueue(decisionMessage(decision));

        // Assess
        expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
        expect(id.endsWith(`/${cluster}`)).toBe(true);
        expect(token.length).toBeLessThanOrEqual(64);
        expect(Buffer.byteLength(item.pk)).toBeLessThanOrEqual(2048);
        expect(Buffer.byteLength(item.sk)).toBeLessThanOrEqual(1024);
        expect(check).toEqual({ kind: 'check', request, messageId: 'm-1' });
        expect(follow).toMatchObject({ kind: 'check', request: followUp, messageId: 'm-1' });
        expect(queuedAlert).toMatchObject({ kind: 'alert', correlationId: id });
        expect(queuedDecision).toMatchObject({
          kind: 'decision',
          decision,
          messageId: 'm-1',
          correlationId: id,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives distinct sweeps distinct ids for the same cluster', () => {
    fc.assert(
      fc.property(sweepIdArb, sweepIdArb, clusterNameArb, (a, b, cluster) => {
        // Act / Assess
        fc.pre(a !== b);
        expect(clusterCorrelationId(a, cluster)).not.toBe(clusterCorrelationId(b, cluster));
      }),
    );
  });
});

describe('boundedId', () => {
  it('keeps a short printable id and shortens anything else to 128 printable characters', () => {
    // Act
    const ids = [boundedId('sweep-1'), boundedId(`sweep-${'x'.repeat(200)}`), boundedId('a b\nc')];

    // Assess
    expect(ids[0]).toBe('sweep-1');
    expect(ids[1]).toMatch(/^sweep-x+~[0-9a-f]{10}$/);
    expect(ids[1]).toHaveLength(MAX_ID_LENGTH);
    expect(ids[2]).toMatch(/^a_b_c~[0-9a-f]{10}$/);
  });
});
