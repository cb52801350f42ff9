import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatNotificationSchema, chatSnsMessage, renderChat } from '../../../../functions/core/alert/chat';
import { chatFromDetail } from '../../../../functions/core/alert/chat-from-json';
import { renderJson } from '../../../../functions/core/alert/json';
import { HOSTILE, SAMPLE_NAMES, sampleFacts } from './support';

const EXAMPLES = join(__dirname, '../../../../docs/alert-examples');
const EXAMPLE_NAMES = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8'));
/** What a safe line never holds: NUL, a bidi override, the line separator, a carriage return. */
const UNSAFE_CHARS = ['\u0000', '\u202e', '\u2028', '\r'];
const SENDER = { account: '111122223333', region: 'eu-west-1' };

function chatOf(detail: unknown, origin = SENDER) {
  const rendered = chatFromDetail(detail, origin);
  return { ...rendered, chat: JSON.parse(rendered.message.Message) };
}

describe('chat from a member decision detail (alert@2)', () => {
  it.each(EXAMPLE_NAMES)('renders the committed %s example in the documented shape', (name) => {
    // Act
    const { kind, chat } = chatOf(example(name));
    const parsed = ChatNotificationSchema.safeParse(chat);
    // Assess
    expect(kind).toBe('alert');
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(chat.metadata.eventType).toBe(
      `eks-endpoint-guard-${example(name).status === 'resolved' ? 'resolved' : example(name).outcome}`,
    );
  });

  it.each(SAMPLE_NAMES)('says for the %s sample what the member itself would say in chat', (name) => {
    // Prepare: the member's facts, and the JSON it sends to the central bus
    const facts = sampleFacts(name);
    const detail = JSON.parse(JSON.stringify(renderJson(facts)));
    // Act
    const { message } = chatFromDetail(detail, SENDER);
    // Assess
    expect(message).toEqual(chatSnsMessage(facts));
    expect(JSON.parse(message.Message)).toEqual(renderChat(facts));
  });

  it('takes account and region from the envelope, never from the detail', () => {
    // Prepare: a member claiming another account and region
    const detail = {
      ...example('remediated'),
      account: '999999999999',
      region: 'us-west-2',
      dedupKey: 'eks-endpoint-guard/999999999999/us-west-2/prod-api',
    };
    // Act
    const { chat } = chatOf(detail, { account: '444455556666', region: 'ap-south-1' });
    const text = JSON.stringify(chat);
    // Assess
    expect(chat.metadata.additionalContext).toMatchObject({
      account: '444455556666',
      region: 'ap-south-1',
      dedupKey: 'eks-endpoint-guard/444455556666/ap-south-1/prod-api',
    });
    expect(chat.content.description).toContain('`444455556666`');
    expect(chat.content.description).toContain('`ap-south-1`');
    expect(text).not.toContain('999999999999');
    expect(text).not.toContain('us-west-2');
  });

  it('drops a cluster ARN and a link that do not name the sender', () => {
    // Prepare: the ARN of another account, and links of the sender's choosing
    const detail = {
      ...example('failed'),
      clusterArn: 'arn:aws:eks:eu-west-1:999999999999:cluster/prod-api',
      links: { console: 'https://evil.example/login', cloudTrailEvent: 'https://evil.example/x' },
    };
    // Act
    const { chat } = chatOf(detail);
    const text = JSON.stringify(chat);
    // Assess
    expect(text).not.toContain('999999999999');
    expect(text).not.toContain('evil.example');
    expect(chat.metadata.relatedResources).toBeUndefined();
    expect(chat.metadata.threadId).toBe('eks-endpoint-guard/111122223333/eu-west-1/prod-api');
    expect(chat.content.description).toContain(
      '(https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-api?region=eu-west-1&selectedTab=cluster-networking-tab)',
    );
  });

  it('keeps hostile strings of the detail inert: no mention, link, formatting or new line', () => {
    // Prepare: every free-text field of the detail carries the hostile text
    const detail = {
      ...example('failed'),
      cluster: HOSTILE.slice(0, 100),
      reason: HOSTILE,
      correlationId: HOSTILE,
      trigger: {
        ...example('failed').trigger,
        actorArn: HOSTILE,
        eventName: HOSTILE.slice(0, 64),
        userAgent: HOSTILE,
      },
      actions: [{ kind: 'fix-policy', parameter: HOSTILE }],
    };
    // Act
    const { kind, chat } = chatOf(detail);
    const parsed = ChatNotificationSchema.safeParse(chat);
    const shown = [chat.content.title, chat.content.description, ...(chat.content.nextSteps ?? [])].join(
      '\n',
    );
    // Assess
    expect(kind).toBe('alert');
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    // Inside a code span markdown is shown as typed; outside one nothing may be markup.
    const outsideCode = shown.replace(/`[^`\n]*`/g, '');
    expect(shown).not.toMatch(/<[!@]/);
    expect(outsideCode).not.toContain('[click](');
    expect(outsideCode).not.toContain('*bold*');
    expect(
      outsideCode.replace(/\]\(https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/[^)]*\)/g, ']'),
    ).not.toContain('://');
    expect((shown.match(/`/g)?.length ?? 0) % 2).toBe(0);
    expect([...shown].some((c) => UNSAFE_CHARS.includes(c))).toBe(false);
    expect([...chat.metadata.summary].some((c) => UNSAFE_CHARS.includes(c) || c === '\n')).toBe(false);
    expect(chat.metadata.relatedResources).toBeUndefined();
  });

  it.each([
    ['a detail that is not alert@2', { schema: 'eks-endpoint-guard/alert@1', cluster: 'prod-api' }, 'schema'],
    ['an unknown outcome', { ...example('failed'), outcome: 'pwned' }, 'outcome'],
    ['a detail that is no object', 'text', '(detail)'],
  ])('renders %s as a short unreadable notice that names the sender only', (_, detail, path) => {
    // Act
    const { kind, reason, chat, message } = chatOf(detail) as ReturnType<typeof chatOf> & { reason: string };
    const parsed = ChatNotificationSchema.safeParse(chat);
    // Assess
    expect(kind).toBe('unreadable');
    expect(reason.startsWith(path)).toBe(true);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(chat.content.title).toBe('Unreadable decision event from account 111122223333');
    expect(chat.content.description).toContain('`eu-west-1`');
    expect(chat.metadata.eventType).toBe('eks-endpoint-guard-unreadable');
    expect(message.MessageAttributes.severity).toEqual({ DataType: 'String', StringValue: 'critical' });
    expect(message.Message).not.toContain('prod-api');
  });

  it('shows nothing of an unreadable detail but the inert first problem', () => {
    // Prepare: a hostile value where the schema expects an enum
    const detail = { ...example('failed'), severity: HOSTILE };
    // Act
    const { kind, chat } = chatOf(detail);
    // Assess
    expect(kind).toBe('unreadable');
    expect(chat.content.description).toContain('`severity: ');
    expect(chat.content.description).not.toContain('<!channel>');
    expect(chat.content.description).not.toContain('evil.example');
  });
});
