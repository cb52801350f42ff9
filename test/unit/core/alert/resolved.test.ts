import { carriedAlert, lastAlerted, resolutionFor } from '../../../../functions/core/alert/resolved';
import type { CheckResult } from '../../../../functions/core/result';
import { SAMPLES, sample } from '../../../../scripts/alert-samples';

const alerted = (outcome: CheckResult['outcome'], time: string, extra: Partial<CheckResult> = {}) =>
  sample({ outcome, time, correlationId: `c-${time}`, alertMessageId: `m-${time}`, ...extra });
const quiet = (outcome: CheckResult['outcome'], time: string) =>
  sample({ outcome, time, correlationId: `c-${time}` });
const compliant = (time: string) =>
  sample({ outcome: 'compliant', time, correlationId: `c-${time}`, violations: undefined });

describe('resolved alerts', () => {
  it.each(['failed', 'blocked', 'would-remediate'] as const)(
    'are due when the last alerted decision was %s',
    (outcome) => {
      // Prepare
      const history = [quiet('deferred', 't3'), alerted(outcome, 't2'), alerted('remediated', 't1')];
      // Act
      const due = resolutionFor(compliant('t4'), history);
      // Assess
      expect(due).toMatchObject({ outcome, time: 't2' });
      expect(due?.violations?.map((v) => v.rule)).toEqual(['public-disabled', 'private-required']);
    },
  );

  it.each(['remediated', 'exempt'] as const)('are not due after a %s alert', (outcome) => {
    // Prepare
    const history = [alerted(outcome, 't2'), alerted('blocked', 't1')];
    // Act
    const due = resolutionFor(compliant('t3'), history);
    // Assess
    expect(due).toBeUndefined();
  });

  it('are sent once: the compliant decision that carried one is the last alerted afterwards', () => {
    // Prepare
    const history: CheckResult[] = [alerted('blocked', 't1')];
    const sweeps = ['t2', 't3', 't4'].map(compliant);
    // Act: each sweep decides, and its record joins the history with the alert it carried.
    const sent = sweeps.filter((result) => {
      const due = resolutionFor(result, history);
      history.unshift(due ? { ...result, alertMessageId: `m-${result.time}` } : result);
      return due !== undefined;
    });
    // Assess
    expect(sent.map((r) => r.time)).toEqual(['t2']);
  });

  it('are not due for a decision that is not compliant, or without any alert before', () => {
    // Act
    const notCompliant = resolutionFor(alerted('blocked', 't2'), [alerted('blocked', 't1')]);
    const nothingBefore = resolutionFor(compliant('t2'), [quiet('compliant', 't1')]);
    const escalated = resolutionFor(
      { ...compliant('t2'), escalation: { remediations: 3, windowMinutes: 60 } },
      [alerted('blocked', 't1')],
    );
    // Assess
    expect([notCompliant, nothingBefore, escalated]).toEqual([undefined, undefined, undefined]);
  });

  it('skip the decision itself and other clusters in the history', () => {
    // Prepare
    const result = compliant('t3');
    const history = [
      { ...result, alertMessageId: 'm-self' },
      alerted('failed', 't2', { cluster: 'other' }),
      alerted('failed', 't1'),
    ];
    // Act
    const due = resolutionFor(result, history);
    // Assess
    expect(due?.time).toBe('t1');
  });

  it('count a queued alert as carried', () => {
    // Act
    const queued = carriedAlert({ alertQueued: true });
    const none = carriedAlert({});
    const last = lastAlerted([
      quiet('compliant', 't2'),
      { ...(SAMPLES.blocked as CheckResult), alertQueued: true },
    ]);
    // Assess
    expect([queued, none]).toEqual([true, false]);
    expect(last?.outcome).toBe('blocked');
  });
});
