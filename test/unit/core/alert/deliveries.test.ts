import { renderFindings } from '../../../../functions/core/alert/asff';
import { chatSnsMessage } from '../../../../functions/core/alert/chat';
import {
  DELIVERY_MESSAGE_KIND,
  type Delivery,
  deliveriesOf,
  deliveryMessage,
  deliveryOfMessage,
  topicMessage,
} from '../../../../functions/core/alert/deliveries';
import { renderEmailJa } from '../../../../functions/core/alert/email-ja';
import type { AlertFacts } from '../../../../functions/core/alert/fact-types';
import { renderJson } from '../../../../functions/core/alert/json';
import { sampleFacts, schemaErrors } from './support';

const english = (facts: AlertFacts) => ({
  subject: `[eks-endpoint-guard] ${facts.cluster}: en`,
  text: 'English body\n',
});

describe('alert deliveries', () => {
  it('put e-mail text and the alert@2 JSON on the alert topic, per protocol', () => {
    // Prepare
    const facts = sampleFacts('remediated');
    // Act
    const input = topicMessage(facts, english(facts));
    const message = JSON.parse(input.Message);
    // Assess
    expect(input.Subject).toBe('[eks-endpoint-guard] prod-api: en');
    expect(input.MessageStructure).toBe('json');
    expect(message.default).toBe('English body\n');
    expect(message.email).toBe('English body\n');
    for (const protocol of ['sqs', 'lambda', 'https']) {
      expect(JSON.parse(message[protocol])).toEqual(renderJson(facts));
      expect(schemaErrors(JSON.parse(message[protocol]))).toEqual([]);
    }
    expect(input.MessageAttributes.status).toEqual({ DataType: 'String', StringValue: 'open' });
  });

  it('are the topic only by default, and chat and Security Hub when configured', () => {
    // Prepare
    const facts = sampleFacts('blocked');
    // Act
    const plain = deliveriesOf(facts, { language: 'en', chat: false, securityHub: false }, english);
    const all = deliveriesOf(facts, { language: 'en', chat: true, securityHub: true }, english);
    // Assess
    expect(plain.map((d) => d.channel)).toEqual(['topic']);
    expect(all).toEqual([
      { channel: 'topic', input: topicMessage(facts, english(facts)) },
      { channel: 'chat', input: chatSnsMessage(facts, 'en') },
      { channel: 'security-hub', findings: renderFindings(facts) },
    ]);
  });

  it('in Japanese use the Japanese e-mail and chat', () => {
    // Prepare
    const facts = sampleFacts('blocked');
    // Act
    const [topic, chat] = deliveriesOf(facts, { language: 'ja', chat: true, securityHub: false }, english);
    // Assess
    expect(topic).toEqual({ channel: 'topic', input: topicMessage(facts, renderEmailJa(facts)) });
    expect(chat).toEqual({ channel: 'chat', input: chatSnsMessage(facts, 'ja') });
  });

  it('skip Security Hub when no finding can be made', () => {
    // Act
    const deliveries = deliveriesOf(
      sampleFacts('blocked', { account: undefined }),
      { language: 'en', chat: false, securityHub: true },
      english,
    );
    // Assess
    expect(deliveries.map((d) => d.channel)).toEqual(['topic']);
  });

  it.each(['topic', 'chat', 'security-hub'])(
    'of the %s channel survive the recheck queue as they are',
    (channel) => {
      // Prepare
      const facts = sampleFacts('exempt');
      const delivery = deliveriesOf(facts, { language: 'en', chat: true, securityHub: true }, english).find(
        (d) => d.channel === channel,
      ) as Delivery;
      // Act
      const read = deliveryOfMessage(JSON.parse(deliveryMessage(delivery, 'c-1')));
      // Assess
      expect(read).toEqual(delivery);
    },
  );

  it.each([
    ['another kind', { kind: 'eks-endpoint-guard/alert', version: 1 }, /^kind: /],
    ['another version', { kind: DELIVERY_MESSAGE_KIND, version: 2 }, /^version: /],
    [
      'an unknown channel',
      { kind: DELIVERY_MESSAGE_KIND, version: 1, delivery: { channel: 'fax' } },
      /^delivery\./,
    ],
    [
      'a finding over a limit',
      {
        kind: DELIVERY_MESSAGE_KIND,
        version: 1,
        delivery: {
          channel: 'security-hub',
          findings: [{ ...renderFindings(sampleFacts('blocked'))[0], Title: 'x'.repeat(300) }],
        },
      },
      /^delivery\./,
    ],
  ])('are refused from a queue message with %s, in one line', (_what, message, reason) => {
    // Act
    const read = deliveryOfMessage(message);
    // Assess
    expect(read).toMatch(reason);
  });
});
