import type { EndpointConfig } from '../endpoint';
import type { Outcome, Severity } from '../outcome';
import {
  type AccessEffect,
  type Action,
  type AlertFacts,
  type AlertRule,
  cidrSummary,
  describeConfig,
  type Headline,
  type TriggerFacts,
} from './facts';

/**
 * The sentences of an alert in one language, from the facts alone. Values that came from outside
 * the guard are passed through `value`, so that each form can mark them its own way (a code span
 * in chat, 「…」 in Japanese text, as they are in English text).
 */
export type Language = 'en' | 'ja';
export const LANGUAGES: readonly Language[] = ['en', 'ja'];

export interface Phrases {
  language: Language;
  /** What happened, in a few words, for subjects and titles (the cluster name included). */
  headline(headline: Headline, cluster: string): string;
  /** The opening sentences. */
  happened(facts: AlertFacts, value: (text: string) => string): string[];
  access(effect: AccessEffect, mood: AlertFacts['mood']): string;
  /** What to do, one or more sentences. */
  action(action: Action, value: (text: string) => string): string[];
  rule(rule: AlertRule): string;
  outcome(outcome: Outcome): string;
  severity(severity: Severity): string;
  foundBy(source: TriggerFacts['source']): string;
  config(config: EndpointConfig): string;
  labels: Labels;
}

export interface Labels {
  cluster: string;
  arn: string;
  account: string;
  region: string;
  outcome: string;
  decidedAt: string;
  whoChanged: string;
  howFound: string;
  foundBy: string;
  event: string;
  actor: string;
  theGuard: string;
  sourceIp: string;
  userAgent: string;
  time: string;
  attempt: (n: number) => string;
  endpointAccess: string;
  before: string;
  after: string;
  target: string;
  compliantTarget: string;
  rulesBroken: string;
  rulesResolved: string;
  rules: string;
  policy: (source: string, version: number, mode: string) => string;
  digest: string;
  whatItMeans: string;
  whatToDo: string;
  update: string;
  updateId: string;
  status: string;
  updateErrors: string;
  links: string;
  consoleLink: string;
  cloudTrailLink: string;
  correlationId: string;
  detail: string;
}

const en: Phrases = {
  language: 'en',
  headline(h, c) {
    switch (h.kind) {
      case 'escalation':
        return `${c} keeps being made non-compliant by ${h.actorLabel ?? 'an unknown actor'}`;
      case 'remediated': {
        const list = cidrSummary(h.cidrs, (n) => `+${n} more`);
        if (h.change === 'public-off') return `${c}: public endpoint turned off (was open to ${list})`;
        if (h.change === 'narrowed') return `${c}: public access narrowed to ${list}`;
        if (h.change === 'private-on') return `${c}: private endpoint turned on`;
        return `${c}: endpoint access changed`;
      }
      case 'would-remediate': {
        const list = cidrSummary(h.cidrs, (n) => `+${n} more`);
        if (h.change === 'public-off') return `${c}: would turn public endpoint off (notify mode)`;
        if (h.change === 'narrowed') return `${c}: would narrow public access to ${list} (notify mode)`;
        if (h.change === 'private-on') return `${c}: would turn private endpoint on (notify mode)`;
        return `${c}: non-compliant, not changed (notify mode)`;
      }
      case 'exempt':
        return `${c}: non-compliant but exempt (${h.reason || 'exemption'})`;
      case 'blocked':
        return `${c}: remediation blocked (${blockedEn(h.cause)})`;
      case 'policy-fault':
        return `failed: policy ${h.fault.source} ${POLICY_STATE_EN[h.fault.state]}`;
      case 'update-failed':
        return `${c}: endpoint update ${h.status.toLowerCase()}${h.code ? ` (${h.code})` : ''}`;
      case 'check-failed':
        return `${c}: check failed (${h.reason})`;
      case 'resolved':
        return `${c}: compliant again, alert resolved`;
      default:
        return `${c}: ${h.reason}`;
    }
  },
  happened(f, value) {
    const c = `EKS cluster ${f.cluster}`;
    const lines: string[] = [];
    if (f.escalation) {
      lines.push(
        `${c} keeps being made non-compliant: ${f.escalation.remediations} remediations in the last ${f.escalation.windowMinutes} minutes, the latest by ${value(f.escalation.actorArn ?? 'an unknown actor')}.`,
      );
    }
    const changes = f.changes.map((x) => changeEn(x, f.after, f.mood === 'did'));
    switch (f.status === 'resolved' ? 'resolved' : f.outcome) {
      case 'resolved':
        lines.push(
          `${c} complies with the endpoint policy again; the alert raised when it was ${f.resolves ?? 'non-compliant'} is resolved.`,
        );
        break;
      case 'remediated':
        lines.push(
          changes.length
            ? `The guard changed ${c} to comply with the endpoint policy: it ${joinEn(changes)}.`
            : `The guard changed the endpoint access of ${c} to comply with the endpoint policy.`,
        );
        break;
      case 'would-remediate':
        lines.push(
          `${c} does not comply with the endpoint policy. The policy is in notify mode, so nothing was changed${
            changes.length ? `; in enforce mode the guard would ${joinEn(changes)}` : ''
          }.`,
        );
        break;
      case 'exempt':
        lines.push(
          `${c} does not comply with the endpoint policy, but it is exempt, so nothing was changed.`,
        );
        break;
      case 'blocked':
        lines.push(
          `The guard did not change ${c}, which does not comply with the endpoint policy: ${value(f.reason)}.`,
        );
        break;
      case 'failed':
        lines.push(`The guard could not check or correct ${c}: ${value(f.reason)}.`);
        break;
      default:
        lines.push(`${c}: ${value(f.reason)}.`);
    }
    return lines;
  },
  access(e, mood) {
    const now = mood === 'did';
    switch (e.kind) {
      case 'unchanged':
        return `Nothing was changed: access stays ${en.config(e.config)}.`;
      case 'public-off':
        return now
          ? 'kubectl and CI from outside the VPC now need VPN, Direct Connect or peering into the VPC; inside the VPC the API name resolves to private IPs.'
          : 'kubectl and CI from outside the VPC would need VPN, Direct Connect or peering into the VPC; inside the VPC the API name would resolve to private IPs.';
      case 'narrowed':
        return now
          ? `Only clients from ${e.cidrs.join(', ')} reach the public endpoint; kubectl and CI from other addresses are refused.`
          : `Only clients from ${e.cidrs.join(', ')} would reach the public endpoint; kubectl and CI from other addresses would be refused.`;
      case 'nodes-through-nat':
        return 'Nodes reach the API server through NAT: their public addresses must be in that list.';
      case 'private-on':
        return now
          ? 'Nodes and pods in the VPC now reach the API server privately, without leaving the VPC.'
          : 'Nodes and pods in the VPC would reach the API server privately, without leaving the VPC.';
      case 'peering-resolves-public':
        return 'Over peering, VPN or Direct Connect the API name still resolves to public IPs, so those clients must come from an allowed CIDR.';
      default:
        return 'Access is still authenticated by IAM and authorised by Kubernetes RBAC.';
    }
  },
  action(a, value) {
    switch (a.kind) {
      case 'remove-exemption': {
        const source = a.source === 'tag' ? 'the cluster tag' : 'an entry in the policy exemptions';
        const until = a.expires ? `until ${a.expires} (inclusive)` : 'with no end date';
        return [
          `Exempt by ${source}, ${until}: ${value(a.reason)}.`,
          'Remove the exemption to let the guard enforce the policy on this cluster.',
        ];
      }
      case 'fix-policy':
        return [
          `Correct the policy in the SSM parameter ${a.parameter}; until it can be read, the guard changes nothing on any cluster.`,
        ];
      case 'fix-blocked':
        return [
          value(a.fix),
          'Turning the public endpoint off while the VPC cannot resolve the private endpoint would cut nodes and kubectl off from the API server. The next sweep checks the cluster again.',
        ];
      case 'before-enforcing':
        return [
          `Before enforcing: ${value(a.fix)}`,
          'Until then the guard would refuse this change (outcome blocked) to keep private clients able to reach the API server.',
        ];
      case 'fix-reapplier':
        return [
          'Whatever re-applies the setting (a deployment pipeline, infrastructure code, a person) must be fixed there, or the cluster exempted; otherwise the guard and it keep undoing each other.',
        ];
      default:
        return [
          `Need an exception? Tag the cluster ${a.tag}=<reason> or add an entry to \`exemptions\` in ${a.parameter}.`,
        ];
    }
  },
  rule: (r) => RULE_EN[r],
  outcome: (o) => o,
  severity: (s) => s,
  foundBy: (s) => FOUND_EN[s],
  config: (c) => describeConfig(c, { public: 'public', private: 'private', none: 'no endpoint' }),
  labels: {
    cluster: 'Cluster',
    arn: 'ARN',
    account: 'Account',
    region: 'Region',
    outcome: 'Outcome',
    decidedAt: 'Decided at',
    whoChanged: 'Who made the change',
    howFound: 'How it was found',
    foundBy: 'Found by',
    event: 'Event',
    actor: 'Actor',
    theGuard: '(the guard itself)',
    sourceIp: 'Source IP',
    userAgent: 'User agent',
    time: 'Time',
    attempt: (n) => `${n + 1} (re-checked after the cluster was busy)`,
    endpointAccess: 'Endpoint access',
    before: 'Before',
    after: 'After',
    target: 'Target',
    compliantTarget: 'Compliant target',
    rulesBroken: 'Policy rules broken',
    rulesResolved: 'Policy rules now met',
    rules: 'Rules',
    policy: (source, version, mode) => `${source}, version ${version}, mode ${mode}`,
    digest: 'Digest',
    whatItMeans: 'What it means for access',
    whatToDo: 'What to do',
    update: 'EKS update',
    updateId: 'Update id',
    status: 'Status',
    updateErrors: 'Errors reported by EKS',
    links: 'Links',
    consoleLink: 'Cluster networking in the EKS console',
    cloudTrailLink: 'The CloudTrail event',
    correlationId: 'Correlation id',
    detail: 'Detail',
  },
};

const ja: Phrases = {
  language: 'ja',
  headline(h, c) {
    switch (h.kind) {
      case 'escalation':
        return `${c}: ${h.actorLabel ?? '不明な実行者'} により繰り返し非準拠の設定に戻されています`;
      case 'remediated': {
        const list = cidrSummary(h.cidrs, (n) => `ほか ${n} 件`);
        if (h.change === 'public-off')
          return `${c}: パブリックエンドポイントを無効化しました (公開先 ${list})`;
        if (h.change === 'narrowed') return `${c}: パブリックアクセスを ${list} に制限しました`;
        if (h.change === 'private-on') return `${c}: プライベートエンドポイントを有効化しました`;
        return `${c}: エンドポイントアクセスを変更しました`;
      }
      case 'would-remediate': {
        const list = cidrSummary(h.cidrs, (n) => `ほか ${n} 件`);
        if (h.change === 'public-off') return `${c}: パブリックエンドポイントの無効化が必要です (通知モード)`;
        if (h.change === 'narrowed')
          return `${c}: パブリックアクセスを ${list} に制限する必要があります (通知モード)`;
        if (h.change === 'private-on')
          return `${c}: プライベートエンドポイントの有効化が必要です (通知モード)`;
        return `${c}: 非準拠ですが変更していません (通知モード)`;
      }
      case 'exempt':
        return `${c}: 非準拠ですが除外対象です (${h.reason || '除外'})`;
      case 'blocked':
        return `${c}: 修復を見送りました (${blockedJa(h.cause)})`;
      case 'policy-fault':
        return `失敗: ポリシー ${h.fault.source} ${POLICY_STATE_JA[h.fault.state]}`;
      case 'update-failed':
        return `${c}: エンドポイントの更新が${h.status === 'Failed' ? '失敗しました' : 'キャンセルされました'}${h.code ? ` (${h.code})` : ''}`;
      case 'check-failed':
        return `${c}: チェックに失敗しました`;
      case 'resolved':
        return `${c}: 準拠状態に戻りました (アラート解決)`;
      default:
        return `${c}: ${OUTCOME_JA.ignored}`;
    }
  },
  happened(f, value) {
    const c = `EKS クラスター ${f.cluster}`;
    const lines: string[] = [];
    if (f.escalation) {
      lines.push(
        `${c} は繰り返し非準拠の設定に戻されています: 直近 ${f.escalation.windowMinutes} 分間に ${f.escalation.remediations} 回修復しました。最後の変更者は ${value(f.escalation.actorArn ?? '不明')} です。`,
      );
    }
    const changes = f.changes.map((x) => changeJa(x, f.after));
    switch (f.status === 'resolved' ? 'resolved' : f.outcome) {
      case 'resolved':
        lines.push(
          `${c} はエンドポイントポリシーに再び準拠しています。${f.resolves ? `結果「${OUTCOME_JA[f.resolves]}」で通知したアラートは解決しました。` : '以前のアラートは解決しました。'}`,
        );
        break;
      case 'remediated':
        lines.push(
          changes.length
            ? `ガードは ${c} をエンドポイントポリシーに準拠させるため、${changes.join('、')}ました。`
            : `ガードは ${c} のエンドポイントアクセスを、エンドポイントポリシーに準拠するよう変更しました。`,
        );
        break;
      case 'would-remediate':
        lines.push(
          `${c} はエンドポイントポリシーに準拠していません。ポリシーが通知モードのため、何も変更していません。${
            changes.length ? `強制モードであれば、ガードは${changes.join('、')}ます。` : ''
          }`,
        );
        break;
      case 'exempt':
        lines.push(`${c} はエンドポイントポリシーに準拠していませんが、除外対象のため何も変更していません。`);
        break;
      case 'blocked':
        lines.push(
          `${c} はエンドポイントポリシーに準拠していませんが、ガードは変更を見送りました。理由 (原文): ${value(f.reason)}`,
        );
        break;
      case 'failed':
        lines.push(`ガードは ${c} を確認または修正できませんでした。理由 (原文): ${value(f.reason)}`);
        break;
      default:
        lines.push(`${c}: ${value(f.reason)}`);
    }
    return lines;
  },
  access(e, mood) {
    const now = mood === 'did';
    switch (e.kind) {
      case 'unchanged':
        return `何も変更していません。アクセスは ${ja.config(e.config)} のままです。`;
      case 'public-off':
        return now
          ? 'VPC の外からの kubectl や CI には、VPC への VPN、Direct Connect または VPC ピアリングが必要になりました。VPC 内では API サーバーのエンドポイント名がプライベート IP アドレスに解決されます。'
          : 'VPC の外からの kubectl や CI には、VPC への VPN、Direct Connect または VPC ピアリングが必要になります。VPC 内では API サーバーのエンドポイント名がプライベート IP アドレスに解決されるようになります。';
      case 'narrowed':
        return now
          ? `パブリックエンドポイントに接続できるのは ${e.cidrs.join(', ')} からのクライアントだけになりました。それ以外のアドレスからの kubectl や CI は拒否されます。`
          : `パブリックエンドポイントに接続できるのは ${e.cidrs.join(', ')} からのクライアントだけになります。それ以外のアドレスからの kubectl や CI は拒否されるようになります。`;
      case 'nodes-through-nat':
        return 'ノードは NAT ゲートウェイ経由で API サーバーに接続するため、そのパブリック IP アドレスを許可リストに含める必要があります。';
      case 'private-on':
        return now
          ? 'VPC 内のノードとポッドは、VPC の外に出ることなくプライベートに API サーバーに接続するようになりました。'
          : 'VPC 内のノードとポッドは、VPC の外に出ることなくプライベートに API サーバーに接続するようになります。';
      case 'peering-resolves-public':
        return 'VPC ピアリング、VPN、Direct Connect 経由では API サーバーのエンドポイント名は引き続きパブリック IP アドレスに解決されるため、それらのクライアントは許可された CIDR ブロックから接続する必要があります。';
      default:
        return 'アクセスは引き続き IAM で認証され、Kubernetes の RBAC で認可されます。';
    }
  },
  action(a, value) {
    switch (a.kind) {
      case 'remove-exemption': {
        const source = a.source === 'tag' ? 'クラスターのタグ' : 'ポリシーの除外設定 (exemptions)';
        const until = a.expires ? `${a.expires} まで (当日を含む)` : '期限なし';
        return [
          `${source}により除外されています (${until})。理由: ${value(a.reason)}`,
          'このクラスターにポリシーを適用するには、除外を削除してください。',
        ];
      }
      case 'fix-policy':
        return [
          `SSM パラメータ ${a.parameter} のポリシーを修正してください。読み取れるようになるまで、ガードはどのクラスターも変更しません。`,
        ];
      case 'fix-blocked':
        return [
          `次の対処が必要です (原文): ${value(a.fix)}`,
          'VPC がプライベートエンドポイントの名前を解決できない状態でパブリックエンドポイントを無効にすると、ノードと kubectl が API サーバーに接続できなくなります。次回の定期チェックで再度確認します。',
        ];
      case 'before-enforcing':
        return [
          `強制モードにする前に、次の対処が必要です (原文): ${value(a.fix)}`,
          'それまでは、プライベートなクライアントが API サーバーに接続できる状態を保つため、ガードはこの変更を見送ります (結果は「修復見送り」)。',
        ];
      case 'fix-reapplier':
        return [
          '設定を戻している仕組み (デプロイパイプライン、Infrastructure as Code、担当者) の側で修正するか、クラスターを除外してください。そうしないと、ガードとその仕組みが互いの変更を打ち消し続けます。',
        ];
      default:
        return [
          `除外が必要な場合は、クラスターにタグ ${a.tag}=<理由> を付けるか、${a.parameter} の exemptions に項目を追加してください。`,
        ];
    }
  },
  rule: (r) => RULE_JA[r],
  outcome: (o) => OUTCOME_JA[o],
  severity: (s) => SEVERITY_JA[s],
  foundBy: (s) => FOUND_JA[s],
  config: (c) =>
    describeConfig(c, { public: 'パブリック', private: 'プライベート', none: 'エンドポイントなし' }),
  labels: {
    cluster: 'クラスター',
    arn: 'ARN',
    account: 'アカウント',
    region: 'リージョン',
    outcome: '結果',
    decidedAt: '判定日時',
    whoChanged: '変更の実行者',
    howFound: '検出の経緯',
    foundBy: '検出元',
    event: 'イベント',
    actor: '実行者',
    theGuard: '(ガード自身)',
    sourceIp: '送信元 IP',
    userAgent: 'ユーザーエージェント',
    time: '日時',
    attempt: (n) => `${n + 1} 回目 (クラスターが更新中だったため再チェック)`,
    endpointAccess: 'エンドポイントアクセス',
    before: '変更前',
    after: '変更後',
    target: '目標',
    compliantTarget: '準拠する設定',
    rulesBroken: '違反したポリシールール',
    rulesResolved: '準拠したポリシールール',
    rules: 'ルール',
    policy: (source, version, mode) =>
      `${source} (バージョン ${version}、${mode === 'notify' ? '通知モード' : '強制モード'})`,
    digest: 'ダイジェスト',
    whatItMeans: 'アクセスへの影響',
    whatToDo: '対処方法',
    update: 'EKS の更新',
    updateId: '更新 ID',
    status: 'ステータス',
    updateErrors: 'EKS が報告したエラー',
    links: 'リンク',
    consoleLink: 'EKS コンソールのネットワーキングタブ',
    cloudTrailLink: 'CloudTrail イベント',
    correlationId: '相関 ID',
    detail: '詳細',
  },
};

export const PHRASES: Record<Language, Phrases> = { en, ja };

const RULE_EN: Record<AlertRule, string> = {
  'public-disabled': 'the public endpoint must be off',
  'public-cidrs': 'public access only from the allowed networks',
  'private-required': 'the private endpoint must be on',
  check: 'the guard could check and correct the cluster',
};

const RULE_JA: Record<AlertRule, string> = {
  'public-disabled': 'パブリックエンドポイントは無効であること',
  'public-cidrs': 'パブリックアクセスは許可されたネットワークからのみであること',
  'private-required': 'プライベートエンドポイントは有効であること',
  check: 'ガードがクラスターを確認・修正できること',
};

const OUTCOME_JA: Record<Outcome, string> = {
  compliant: '準拠',
  remediated: '修復済み',
  'would-remediate': '修復が必要 (通知モード)',
  deferred: '延期',
  exempt: '除外',
  blocked: '修復見送り',
  ignored: '対象外',
  failed: '失敗',
};

const SEVERITY_JA: Record<Severity, string> = { info: '情報', warning: '警告', critical: '重大' };

const FOUND_EN: Record<TriggerFacts['source'], string> = {
  event: 'a CloudTrail event',
  sweep: 'the periodic sweep',
  recheck: 'a re-check',
  cli: 'the command line',
};

const FOUND_JA: Record<TriggerFacts['source'], string> = {
  event: 'CloudTrail イベント',
  sweep: '定期チェック',
  recheck: '再チェック',
  cli: 'コマンドライン',
};

const POLICY_STATE_EN = {
  missing: 'is missing',
  unreadable: 'cannot be read',
  empty: 'is empty',
  invalid: 'is invalid',
} as const;

const POLICY_STATE_JA = {
  missing: 'が存在しません',
  unreadable: 'を読み取れません',
  empty: 'が空です',
  invalid: 'が無効です',
} as const;

function blockedEn(cause: Extract<Headline, { kind: 'blocked' }>['cause']): string {
  if (cause.kind === 'reason') return cause.reason;
  if (cause.support && cause.hostnames) return 'VPC DNS support and hostnames off';
  return cause.support ? 'VPC DNS support off' : 'VPC DNS hostnames off';
}

function blockedJa(cause: Extract<Headline, { kind: 'blocked' }>['cause']): string {
  if (cause.kind === 'reason') return 'ロックアウト防止';
  if (cause.support && cause.hostnames) return 'VPC の DNS サポートと DNS ホスト名が無効';
  return cause.support ? 'VPC の DNS サポートが無効' : 'VPC の DNS ホスト名が無効';
}

function changeEn(
  change: AlertFacts['changes'][number],
  after: EndpointConfig | undefined,
  did: boolean,
): string {
  if (change === 'public-off') return did ? 'turned the public endpoint off' : 'turn the public endpoint off';
  if (change === 'private-on') return did ? 'turned the private endpoint on' : 'turn the private endpoint on';
  const cidrs = (after?.publicAccessCidrs ?? []).join(', ');
  return did ? `narrowed public access to ${cidrs}` : `narrow public access to ${cidrs}`;
}

/** Japanese verb stems, completed by the sentence (…し + ました / ます). */
function changeJa(change: AlertFacts['changes'][number], after: EndpointConfig | undefined): string {
  if (change === 'public-off') return 'パブリックエンドポイントを無効にし';
  if (change === 'private-on') return 'プライベートエンドポイントを有効にし';
  return `パブリックアクセスを ${(after?.publicAccessCidrs ?? []).join(', ')} に制限し`;
}

function joinEn(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
