import { type AlertOptions, alertFor, snsMessage } from '../../../functions/core/alert/alert';
import { chatSnsMessage } from '../../../functions/core/alert/chat';
import { safeLine } from '../../../functions/core/alert/forms';
import { forAttribute, forEmail, forJson } from '../../../functions/core/escape';
import type { CheckResult } from '../../../functions/core/result';
import { hasUnsafeText, visibleCodePoint } from '../../../functions/core/unsafe-text';

/**
 * Issue 19, finding 12: invisible and bidi characters reached the e-mail and JSON forms, because
 * escape.ts and forms.ts each kept a partial list. One set now serves every form.
 */
const INVISIBLE = [
  '\u061c', // Arabic letter mark
  '\u200b', // zero-width space
  '\u200c', // zero-width non-joiner
  '\u200d', // zero-width joiner
  '\u2060', // word joiner
  '\u2061',
  '\u2062',
  '\u2063',
  '\u2064', // invisible plus
  '\ufeff', // byte order mark
  '\u{e0001}', // language tag
  '\u{e0041}', // tag latin capital A
  '\u{e007f}', // cancel tag
  '\u{e0000}', // unassigned, inside the tag block
];

const options: AlertOptions = {
  exemptionTag: 'eks-endpoint-guard/exempt',
  policyParameter: '/eks-endpoint-guard/policy',
};

function exemptWith(reason: string): CheckResult {
  return {
    cluster: 'legacy-batch',
    region: 'eu-west-1',
    account: '111122223333',
    outcome: 'exempt',
    reason: 'public endpoint is enabled; exempt',
    time: '2025-06-03T10:17:41.000Z',
    correlationId: 'evt-1',
    trigger: { source: 'event', eventName: 'TagResource', userAgent: `cli${reason}` },
    attempt: 0,
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    exemption: { source: 'tag', reason },
  };
}

describe('one set of unsafe characters for every form (finding 12)', () => {
  it.each(INVISIBLE.map((c) => [visibleCodePoint(c), c]))('%s is unsafe', (_name, char) => {
    // Act
    const found = hasUnsafeText(`a${char}b`);
    // Assess
    expect(found).toBe(true);
  });

  it.each(INVISIBLE.map((c) => [visibleCodePoint(c), c]))(
    '%s never reaches the e-mail, JSON, attribute or chat form of an alert',
    (_name, char) => {
      // Prepare
      const result = exemptWith(`OPS-1${char}approved`);
      // Act
      const alert = alertFor(result, options);
      const sns = snsMessage(alert as NonNullable<typeof alert>);
      const envelope = JSON.parse(sns.Message) as { email: string; sqs: string };
      const machine = JSON.stringify(JSON.parse(envelope.sqs));
      const chat = chatSnsMessage(alert?.facts as NonNullable<NonNullable<typeof alert>['facts']>);
      // Assess
      expect(hasUnsafeText(envelope.email.replaceAll('\n', ''))).toBe(false);
      expect(hasUnsafeText(machine)).toBe(false);
      expect(hasUnsafeText(JSON.stringify(JSON.parse(chat.Message)))).toBe(false);
      expect(hasUnsafeText(JSON.stringify(sns.MessageAttributes))).toBe(false);
      expect(envelope.email).toContain('OPS-1');
    },
  );

  it('each escape of its own: shown as text in e-mail and JSON, a space in a line or an attribute', () => {
    // Act
    const email = forEmail('a\u2060b\u{e0041}c');
    const json = forJson({ reason: 'a\u200bb' });
    const line = safeLine('a\u061c\ufeffb');
    const attribute = forAttribute('a\u2064b');
    // Assess
    expect(email).toBe('a\\u2060b\\u{e0041}c');
    expect(JSON.parse(json)).toEqual({ reason: 'a\\u200bb' });
    expect(line).toBe('a b');
    expect(attribute).toBe('a b');
  });
});
