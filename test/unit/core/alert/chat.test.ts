import {
  CHAT_LIMITS,
  ChatNotificationSchema,
  chatSnsMessage,
  renderChat,
} from '../../../../functions/core/alert/chat';
import { factsOf } from '../../../../functions/core/alert/facts';
import { LANGUAGES } from '../../../../functions/core/alert/phrases';
import { SAMPLE_OPTIONS, sample } from '../../../../scripts/alert-samples';
import { HOSTILE, SAMPLE_NAMES, sampleFacts } from './support';

const CASES = SAMPLE_NAMES.flatMap((name) => LANGUAGES.map((language) => [name, language] as const));
const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api';

describe('chat custom notification', () => {
  it.each(CASES)('of the %s sample in %s has the documented shape', (name, language) => {
    // Act
    const chat = renderChat(sampleFacts(name), language);
    const parsed = ChatNotificationSchema.safeParse(chat);
    // Assess
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
  });

  // Issue 19, finding 11: a bare domain in a tag value reached the chat title as plain text.
  it('defangs a bare domain from a tag value in the title and summary, keeps it exact in a code span', () => {
    // Prepare
    const facts = sampleFacts('exempt', {
      exemption: { source: 'tag', reason: 'see evil.example.com/login to approve' },
    });
    // Act
    const chat = renderChat(facts);
    const outsideCode = [chat.content.title, chat.content.description, ...(chat.content.nextSteps ?? [])]
      .join('\n')
      .replace(/`[^`\n]*`/g, '')
      .replace(/\]\(https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/[^)]*\)/g, ']');
    // Assess
    expect(chat.content.title).toContain('evil［.］example［.］com/login');
    expect(chat.metadata.summary).toContain('evil[.]example[.]com/login');
    expect(outsideCode).not.toMatch(/evil\.example|example\.com/);
    expect(chat.content.nextSteps?.join(' ')).toContain('`see evil.example.com/login to approve`');
  });

  it('threads detection, revert and resolution of one cluster by its ARN', () => {
    // Act
    const threads = ['would-remediate', 'remediated', 'resolved'].map(
      (name) => renderChat(sampleFacts(name)).metadata.threadId,
    );
    const withoutArn = renderChat(sampleFacts('remediated', { clusterArn: undefined })).metadata.threadId;
    // Assess
    expect(threads).toEqual([ARN, ARN, ARN]);
    expect(withoutArn).toBe('eks-endpoint-guard/111122223333/eu-west-1/prod-api');
  });

  it('says what happened, to whom, what it means and what to do, with links', () => {
    // Act
    const chat = renderChat(sampleFacts('remediated'));
    // Assess
    expect(chat.content.title).toBe('prod-api: public endpoint turned off (was open to 0.0.0.0/0)');
    expect(chat.content.description).toContain(
      '*Actor*: `arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe`',
    );
    expect(chat.content.description).toContain('*Endpoint access*: `public (0.0.0.0/0)` → `private`');
    expect(chat.content.description).toContain('*What it means for access*');
    expect(chat.content.description).toContain(
      '[Cluster networking in the EKS console](https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-api?region=eu-west-1&selectedTab=cluster-networking-tab)',
    );
    expect(chat.content.nextSteps?.[0]).toMatch(
      /^Need an exception\? Tag the cluster eks-endpoint-guard\/exempt=‹reason›/,
    );
    expect(chat.metadata).toMatchObject({
      eventType: 'eks-endpoint-guard-remediated',
      relatedResources: [ARN],
      additionalContext: { severity: 'warning', status: 'open' },
    });
    expect(chat.content.keywords).toEqual(
      expect.arrayContaining(['remediated', 'warning', 'eu-west-1', 'public-disabled']),
    );
  });

  it('in Japanese uses the terms of the AWS Japanese documentation', () => {
    // Act
    const chat = renderChat(sampleFacts('remediated'), 'ja');
    // Assess
    expect(chat.content.title).toBe('prod-api: パブリックエンドポイントを無効化しました (公開先 0.0.0.0/0)');
    expect(chat.content.description).toContain('*アクセスへの影響*');
    expect(chat.content.description).toContain('プライベート IP アドレス');
  });

  it('renders an outside value inert: no mention, link, formatting or broken code span', () => {
    // Prepare
    const facts = factsOf(
      sample({
        outcome: 'exempt',
        exemption: { source: 'tag', reason: HOSTILE },
        trigger: { source: 'event', actorArn: HOSTILE },
      }),
      SAMPLE_OPTIONS,
    );
    // Act
    const chat = renderChat(facts as NonNullable<typeof facts>);
    const text = [chat.content.title, chat.content.description, ...(chat.content.nextSteps ?? [])].join('\n');
    // Inside a code span markdown is shown as typed; outside one nothing may be markup.
    const outsideCode = text.replace(/`[^`\n]*`/g, '');
    // Assess
    expect(text).not.toMatch(/<[!@]/);
    expect(outsideCode).not.toContain('[click](');
    expect(outsideCode).not.toContain('*bold*');
    expect(
      outsideCode.replace(/\]\(https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/[^)]*\)/g, ']'),
    ).not.toContain('://');
    expect(chat.content.description.match(/`/g)?.length ?? 0).toBeGreaterThan(0);
    expect((chat.content.description.match(/`/g)?.length ?? 0) % 2).toBe(0);
    expect(ChatNotificationSchema.safeParse(chat).success).toBe(true);
  });

  it('stays within the limits however long the input', () => {
    // Prepare
    const long = 'x'.repeat(5000);
    const facts = factsOf(
      sample({
        outcome: 'blocked',
        reason: long,
        fix: long,
        trigger: { source: 'event', actorArn: long },
      }),
      SAMPLE_OPTIONS,
    );
    // Act
    const chat = renderChat(facts as NonNullable<typeof facts>);
    // Assess
    expect(chat.content.title.length).toBeLessThanOrEqual(CHAT_LIMITS.title);
    expect(chat.content.description.length).toBeLessThanOrEqual(CHAT_LIMITS.description);
    expect(ChatNotificationSchema.safeParse(chat).success).toBe(true);
  });

  it('is rejected by the schema when a documented field is wrong, so the shape check can fail', () => {
    // Prepare
    const chat = renderChat(sampleFacts('remediated'));
    // Act
    const wrong = ChatNotificationSchema.safeParse({
      ...chat,
      content: { ...chat.content, textType: 'markdown' },
    });
    // Assess
    expect(wrong.success).toBe(false);
  });

  it('is published as the whole message, with the attributes a filter policy routes on', () => {
    // Prepare
    const facts = sampleFacts('blocked');
    // Act
    const input = chatSnsMessage(facts, 'en');
    // Assess
    expect(input).toEqual({
      Message: JSON.stringify(renderChat(facts, 'en')),
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: 'blocked' },
        cluster: { DataType: 'String', StringValue: 'prod-api' },
        severity: { DataType: 'String', StringValue: 'critical' },
        status: { DataType: 'String', StringValue: 'open' },
      },
    });
    expect(input).not.toHaveProperty('MessageStructure');
  });
});
