import fc from 'fast-check';
import { type FlipFlopRule, flipFlop } from '../../../functions/core/repetition';
import type { CheckResult, Escalation } from '../../../functions/core/result';

const RULE: FlipFlopRule = { threshold: 3, windowMinutes: 60 };
const START = Date.parse('2026-06-03T10:00:00Z');
const PIPELINE = 'arn:aws:iam::111122223333:role/deploy-pipeline';
const PERSON = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

interface Step {
  minutes: number;
  actor: string | undefined;
}

interface Recorded {
  record: CheckResult;
  /** The remediation's alert was sent (not silenced by the breaker). */
  alerted: boolean;
}

function remediation(
  id: number,
  at: number,
  actor: string | undefined,
  escalation?: Escalation,
): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'us-east-1',
    outcome: 'remediated',
    reason: 'x',
    time: new Date(at).toISOString(),
    correlationId: `evt-${id}`,
    trigger: { source: 'event', ...(actor ? { actorArn: actor } : {}) },
    attempt: 0,
    ...(escalation ? { escalation } : {}),
  };
}

/** Runs the breaker over a sequence of remediations, each recorded as the guard records it. */
function simulate(steps: readonly Step[], rule = RULE): Recorded[] {
  const recorded: Recorded[] = [];
  let at = START;
  steps.forEach((step, id) => {
    at += step.minutes * 60_000;
    const finding = flipFlop(
      recorded.map((r) => r.record),
      new Date(at),
      rule,
      step.actor,
    );
    recorded.push({
      record: remediation(id, at, step.actor, finding.escalation),
      alerted: !finding.alreadyEscalated,
    });
  });
  return recorded;
}

const escalationAlerts = (recorded: Recorded[]) => recorded.filter((r) => r.alerted && r.record.escalation);

describe('flipFlop', () => {
  it('escalates on the third remediation within the window, naming the actor', () => {
    // Act
    const recorded = simulate([
      { minutes: 0, actor: PIPELINE },
      { minutes: 10, actor: PIPELINE },
      { minutes: 10, actor: PIPELINE },
    ]);

    // Assess
    expect(recorded.map((r) => r.alerted)).toEqual([true, true, true]);
    expect(recorded[2]?.record.escalation).toEqual({
      actorArn: PIPELINE,
      remediations: 3,
      windowMinutes: 60,
    });
  });

  it('stays quiet for the same actor within the window after the escalation', () => {
    // Act
    const recorded = simulate([
      { minutes: 0, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
    ]);

    // Assess
    expect(recorded.map((r) => r.alerted)).toEqual([true, true, true, false, false]);
    expect(recorded[4]?.record.escalation).toMatchObject({ actorArn: PIPELINE, silenced: true });
  });

  it('escalates again once the escalation is older than the window and the loop goes on', () => {
    // Prepare: a remediation every 10 minutes for two and a half hours
    const steps = Array.from({ length: 16 }, (_, i) => ({ minutes: i === 0 ? 0 : 10, actor: PIPELINE }));

    // Act
    const recorded = simulate(steps);

    // Assess: escalations at 20 and 90 minutes; silence in between
    const times = escalationAlerts(recorded).map((r) => (Date.parse(r.record.time) - START) / 60_000);
    expect(times).toEqual([20, 90]);
    expect(recorded.filter((r) => !r.alerted)).toHaveLength(16 - 2 - 2);
  });

  it('never silences another actor after an escalation', () => {
    // Act
    const recorded = simulate([
      { minutes: 0, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
      { minutes: 5, actor: PIPELINE },
      { minutes: 5, actor: PERSON },
      { minutes: 5, actor: PIPELINE },
    ]);

    // Assess
    expect(recorded.map((r) => r.alerted)).toEqual([true, true, true, true, false]);
  });

  // Issue 19, finding 5: the breaker counted only the guard's own reverts, never grace starts.
  it('counts the grace periods the guard started, and a grace start and its revert once', () => {
    // Prepare
    const graceStart = (id: number, at: number): CheckResult => ({
      ...remediation(id, at, PERSON),
      outcome: 'deferred',
      graceSince: new Date(at).toISOString(),
      graceUntil: new Date(at + 3_600_000).toISOString(),
    });
    const started = [graceStart(1, START), remediation(2, START + 5 * 60_000, PERSON)];
    const now = new Date(START + 10 * 60_000);

    // Act
    const newViolation = flipFlop(started, now, RULE, PERSON, 'evt-3');
    const revertOfTheStart = flipFlop(started, now, RULE, PERSON, 'evt-1');

    // Assess
    expect(newViolation.escalation).toMatchObject({ remediations: 3 });
    expect(revertOfTheStart.escalation).toBeUndefined();
  });

  it('is not silenced by a silenced copy of an escalation', () => {
    // Prepare: the window holds only a record that was itself silenced
    const history = [
      remediation(1, START, PIPELINE, {
        actorArn: PIPELINE,
        remediations: 4,
        windowMinutes: 60,
        silenced: true,
      }),
    ];

    // Act
    const finding = flipFlop(history, new Date(START + 60_000), RULE, PIPELINE);

    // Assess
    expect(finding.alreadyEscalated).toBe(false);
  });

  describe('over any sequence of remediations', () => {
    const stepArb = fc.record({
      minutes: fc.integer({ min: 0, max: 90 }),
      actor: fc.constantFrom(PIPELINE, PERSON, undefined),
    });
    const ruleArb = fc.record({
      threshold: fc.integer({ min: 2, max: 5 }),
      windowMinutes: fc.integer({ min: 5, max: 120 }),
    });

    it('silences a change only when its own actor was escalated to people within the window', () => {
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 40 }), ruleArb, (steps, rule) => {
          // Act
          const recorded = simulate(steps, rule);

          // Assess
          recorded.forEach((r, i) => {
            if (r.alerted) return;
            const at = Date.parse(r.record.time);
            const told = recorded
              .slice(0, i)
              .some(
                (earlier) =>
                  earlier.alerted &&
                  earlier.record.escalation?.actorArn === r.record.trigger.actorArn &&
                  at - Date.parse(earlier.record.time) <= rule.windowMinutes * 60_000,
              );
            expect(told).toBe(true);
          });
        }),
      );
    });

    it('escalates a loop that keeps going at least once per window', () => {
      fc.assert(
        fc.property(
          ruleArb,
          fc.integer({ min: 1, max: 60 }),
          fc.integer({ min: 3, max: 4 }),
          (rule, count, windows) => {
            // Prepare: one actor, fast enough that every window holds the threshold
            const gap = Math.max(1, Math.floor(rule.windowMinutes / rule.threshold) - 1);
            const length = Math.max(count, Math.ceil((windows * rule.windowMinutes) / gap));
            const steps = Array.from({ length }, (_, i) => ({ minutes: i === 0 ? 0 : gap, actor: PIPELINE }));

            // Act
            const recorded = simulate(steps, rule);

            // Assess: from the first escalation on, never a window plus a gap without one
            const times = escalationAlerts(recorded).map((r) => Date.parse(r.record.time));
            const end = Date.parse(recorded.at(-1)?.record.time ?? '');
            expect(times.length).toBeGreaterThan(0);
            [...times.slice(1), end].forEach((t, i) => {
              expect(t - (times[i] ?? 0)).toBeLessThanOrEqual((rule.windowMinutes + gap) * 60_000);
            });
          },
        ),
      );
    });
  });
});
