import { type AlertOptions, alertFor, snsMessage } from '../../../../functions/core/alert/alert';
import { forAttribute, forEmail, forJson, forSubject } from '../../../../functions/core/escape';
import type { CheckResult } from '../../../../functions/core/result';

const options: AlertOptions = {
  exemptionTag: 'eks-endpoint-guard/exempt',
  policyParameter: '/eks-endpoint-guard/policy',
};

/** A line an attacker would like to see in the alert as if the guard had written it. */
const FORGED = 'Outcome:   compliant (info)';
const HOSTILE = [
  `aws-cli/2.0\n${FORGED}`,
  `aws-cli/2.0\r\n${FORGED}`,
  `aws-cli/2.0\u2028${FORGED}`,
  `aws-cli/2.0\u2029${FORGED}`,
  `aws-cli/2.0\u0085${FORGED}`,
  `aws-cli/2.0\u001b[2J\u001b[1;1H${FORGED}`,
  `aws-cli/2.0\u202e${FORGED}`,
];

function exempt(overrides: Partial<CheckResult>): CheckResult {
  return {
    cluster: 'legacy-batch',
    region: 'eu-west-1',
    outcome: 'exempt',
    reason: 'public endpoint is enabled; exempt',
    time: '2025-06-03T10:17:41.000Z',
    correlationId: 'evt-1',
    trigger: {
      source: 'event',
      eventName: 'TagResource',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/A/b',
    },
    attempt: 0,
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    exemption: { source: 'tag', reason: 'OPS-1' },
    ...overrides,
  };
}

/** Anything but the text's own line breaks that could move, hide or break lines. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e]/u;

/** Every line of the text that starts with the forged words. */
const forgedLines = (text: string) =>
  text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/).filter((l) => l.trim().startsWith('Outcome:   compliant'));

describe('hostile strings in the e-mail text', () => {
  it.each(HOSTILE.map((value) => [JSON.stringify(value), value]))(
    'user agent %s cannot start a line',
    (_label, userAgent) => {
      // Prepare
      const result = exempt({ trigger: { source: 'event', eventName: 'UpdateClusterConfig', userAgent } });

      // Act
      const alert = alertFor(result, options);

      // Assess
      const text = alert?.text ?? '';
      expect(forgedLines(text)).toEqual([]);
      expect(text.replaceAll('\n', '')).not.toMatch(UNSAFE);
      expect(text).toContain('User agent:');
    },
  );

  it.each(HOSTILE.map((value) => [JSON.stringify(value), value]))(
    'tag value %s cannot start a line',
    (_label, value) => {
      // Prepare
      const result = exempt({ exemption: { source: 'tag', reason: value } });

      // Act
      const alert = alertFor(result, options);
      const rejected = alertFor(
        exempt({
          outcome: 'remediated',
          exemption: undefined,
          after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
          rejectedTag: { tag: 'eks-endpoint-guard/exempt', value, why: 'the policy requires an expiry' },
        }),
        options,
      );

      // Assess
      for (const text of [alert?.text ?? '', rejected?.text ?? '']) {
        expect(forgedLines(text)).toEqual([]);
        expect(text.replaceAll('\n', '')).not.toMatch(UNSAFE);
      }
      expect(alert?.subject).not.toMatch(/[^\x20-\x7e…]/);
    },
  );

  it('shortens a very long value with an ellipsis', () => {
    // Prepare
    const result = exempt({ trigger: { source: 'event', userAgent: 'x'.repeat(5000) } });

    // Act
    const text = alertFor(result, options)?.text ?? '';

    // Assess
    const line = text.split('\n').find((l) => l.includes('User agent:')) ?? '';
    expect(line.length).toBeLessThan(400);
    expect(line.endsWith('…')).toBe(true);
  });

  it('keeps the hostile text visible as escapes, so people see what was sent', () => {
    // Act
    const shown = forEmail('a\nb\u2028c');

    // Assess
    expect(shown).toBe('a\\u000ab\\u2028c');
  });
});

describe('hostile strings in the SNS message', () => {
  it('neutralises the attributes and the machine JSON', () => {
    // Prepare
    const result = exempt({
      cluster: 'legacy-batch',
      exemption: { source: 'tag', reason: `OPS\u2028${'y'.repeat(3000)}` },
    });
    const alert = alertFor(result, options);
    if (!alert) throw new Error('expected an alert');

    // Act
    const message = snsMessage({ ...alert, attributes: { ...alert.attributes, cluster: 'a\nb' } });

    // Assess
    expect(message.MessageAttributes.cluster?.StringValue).toBe('a b');
    const envelope = JSON.parse(message.Message) as { sqs: string };
    expect(envelope.sqs).not.toMatch(/[\u2028\u2029]/);
    const machine = JSON.parse(envelope.sqs) as { exemption: { reason: string } };
    expect([...machine.exemption.reason].length).toBe(256);
    expect(machine.exemption.reason.endsWith('…')).toBe(true);
  });

  it.each([
    [forSubject('a\r\nb\u2028c'), 'a b c'],
    [forAttribute(`x${'\u0000'.repeat(3)}y`), 'x y'],
    [forJson({ a: '\u2028' }), '{"a":"\\\\u2028"}'],
  ])('%j → %j', (actual, expected) => {
    // Assess
    expect(actual).toBe(expected);
  });
});
