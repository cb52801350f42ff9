import { renderEmailJa } from '../../../../functions/core/alert/email-ja';
import { factsOf } from '../../../../functions/core/alert/facts';
import { SAMPLE_OPTIONS, sample } from '../../../../scripts/alert-samples';
import { HOSTILE, SAMPLE_NAMES, sampleFacts } from './support';

/**
 * English left in Japanese text: a run of three or more English words, once the things that are
 * English by nature are taken out (quoted outside values 「…」, ARNs, URLs, CIDRs, commands in
 * backticks, ids, the prefix, option names like `enableDnsHostnames`, AWS product names).
 */
function untranslated(text: string): string[] {
  const stripped = text
    .replace(/「[^」]*」/g, ' ')
    .replace(/\[eks-endpoint-guard\]/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/arn:[^\s)]+/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\b[\w./-]*\d[\w./:-]*\b/g, ' ')
    .replace(/\b\S*[/=_][\S]*/g, ' ')
    .replace(
      /\b(Direct Connect|Infrastructure as Code|Kubernetes|CloudTrail|EKS|VPC|VPN|NAT|IAM|RBAC|CIDR|SSM|DNS|API|CI|IP|ID|ARN|kubectl)\b/g,
      ' ',
    );
  return [...stripped.matchAll(/[A-Za-z][A-Za-z'-]*(?:[ ,.;:]+[A-Za-z][A-Za-z'-]*){2,}/g)].map((m) => m[0]);
}

describe('Japanese e-mail', () => {
  it.each(SAMPLE_NAMES)('for the %s sample has no untranslated English sentence', (name) => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts(name));
    // Assess
    expect(untranslated(subject)).toEqual([]);
    expect(untranslated(text)).toEqual([]);
  });

  it('the check itself finds an English sentence, so it can fail', () => {
    // Act
    const found = untranslated('クラスター: The guard changed the cluster');
    // Assess
    expect(found).toEqual(['The guard changed the cluster']);
  });

  it.each(SAMPLE_NAMES)('for the %s sample has a one-line subject under 100 characters', (name) => {
    // Act
    const { subject } = renderEmailJa(sampleFacts(name));
    // Assess
    expect(subject.startsWith('[eks-endpoint-guard] ')).toBe(true);
    expect([...subject].length).toBeLessThan(100);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('explains a remediation in the terms of the AWS Japanese documentation', () => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts('remediated'));
    // Assess
    expect(subject).toBe(
      '[eks-endpoint-guard] prod-api: パブリックエンドポイントを無効化しました (公開先 0.0.0.0/0)',
    );
    expect(text).toContain(
      'ガードは EKS クラスター prod-api をエンドポイントポリシーに準拠させるため、パブリックエンドポイントを無効にし、プライベートエンドポイントを有効にしました。',
    );
    expect(text).toContain('アクセスへの影響');
    expect(text).toContain(
      'VPC 内では API サーバーのエンドポイント名がプライベート IP アドレスに解決されます。',
    );
    expect(text).toContain('アクセスは引き続き IAM で認証され、Kubernetes の RBAC で認可されます。');
    expect(text).toContain('変更前: パブリック (0.0.0.0/0)');
    expect(text).toContain('変更後: プライベート');
    expect(text).toContain('実行者: arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe');
    expect(text).toContain(
      'EKS コンソールのネットワーキングタブ: https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-api?region=eu-west-1&selectedTab=cluster-networking-tab',
    );
    expect(text).toContain('CloudTrail イベント: https://eu-west-1.console.aws.amazon.com/cloudtrailv2/');
  });

  it('says in notify mode what would change, and what to fix before enforcing', () => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts('would-remediate'));
    // Assess
    expect(subject).toContain('(通知モード)');
    expect(text).toContain(
      '強制モードであれば、ガードはパブリックエンドポイントを無効にし、プライベートエンドポイントを有効にします。',
    );
    expect(text).toContain('強制モードにする前に、次の対処が必要です');
    expect(text).toContain('(パラメータのバージョン 3、通知モード)');
  });

  it('names the exemption, its reason and its end', () => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts('exempt'));
    // Assess
    expect(subject).toBe('[eks-endpoint-guard] prod-api: 非準拠ですが除外対象です (OPS-123 load test)');
    expect(text).toContain(
      'ポリシーの除外設定 (exemptions)により除外されています (2026-07-31 まで (当日を含む))。理由: 「OPS-123 load test」',
    );
    expect(text).toContain('何も変更していません。アクセスは パブリック (0.0.0.0/0) のままです。');
  });

  it('says why a remediation was blocked and a check failed', () => {
    // Act
    const blocked = renderEmailJa(sampleFacts('blocked'));
    const failed = renderEmailJa(sampleFacts('failed'));
    const policy = renderEmailJa(sampleFacts('failed-policy'));
    // Assess
    expect(blocked.subject).toBe(
      '[eks-endpoint-guard] prod-api: 修復を見送りました (VPC の DNS ホスト名が無効)',
    );
    expect(blocked.text).toContain('ノードと kubectl が API サーバーに接続できなくなります');
    expect(failed.subject).toBe(
      '[eks-endpoint-guard] prod-api: エンドポイントの更新が失敗しました (AccessDenied)',
    );
    expect(failed.text).toContain('- AccessDenied: 「The cluster role cannot manage the endpoint」');
    expect(policy.subject).toBe(
      '[eks-endpoint-guard] 失敗: ポリシー /eks-endpoint-guard/policy が存在しません',
    );
    expect(policy.text).toContain('SSM パラメータ /eks-endpoint-guard/policy のポリシーを修正してください。');
  });

  it('announces a resolution once, naming what it resolves', () => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts('resolved'));
    // Assess
    expect(subject).toBe('[eks-endpoint-guard] prod-api: 準拠状態に戻りました (アラート解決)');
    expect(text).toContain('結果「修復見送り」で通知したアラートは解決しました。');
    expect(text).toContain('準拠したポリシールール');
  });

  it('warns of a cluster that keeps being made non-compliant', () => {
    // Act
    const { subject, text } = renderEmailJa(sampleFacts('escalation'));
    // Assess
    expect(subject).toBe(
      '[eks-endpoint-guard] prod-api: assumed-role/PlatformAdmin/jdoe により繰り返し非準拠の設定に戻されています',
    );
    expect(text).toContain('直近 60 分間に 4 回修復しました。');
    expect(text).toContain('設定を戻している仕組み');
  });

  it('keeps outside text quoted on one line, and the subject one line', () => {
    // Prepare
    const facts = factsOf(
      sample({
        outcome: 'exempt',
        exemption: { source: 'tag', reason: HOSTILE },
        trigger: { source: 'cli' },
      }),
      SAMPLE_OPTIONS,
    );
    // Act
    const { subject, text } = renderEmailJa(facts as NonNullable<typeof facts>);
    // Assess
    expect(subject).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(text).not.toMatch(/[\r\0\u202e\u2028]/);
    expect(text).toContain('理由: 「x y <!channel>');
    expect(text).toContain('検出の経緯');
    expect(text).toContain('検出元: コマンドライン');
  });

  it('shows a re-check attempt', () => {
    // Act
    const { text } = renderEmailJa(sampleFacts('remediated', { attempt: 2 }));
    // Assess
    expect(text).toContain('試行: 3 回目 (クラスターが更新中だったため再チェック)');
  });
});
