import type { EndpointConfig } from '../endpoint';
import type { Outcome, Severity } from '../outcome';
import { cidrSummary, describeConfig } from './derive';
import type { AlertFacts, AlertRule, Headline, TriggerFacts } from './fact-types';
import type { Phrases } from './phrase-book';
import {
  blastRadiusJa,
  blockedSentenceJa,
  failedJa,
  graceJa,
  lockoutJa,
  policyChangeJa,
} from './phrases-ja-causes';

/**
 * The Japanese sentences of an alert, in the terms of the AWS Japanese documentation (クラスター,
 * エンドポイント, パブリックアクセス, プライベートアクセス, 通知モード, …).
 */
export const ja: Phrases = {
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
      case 'grace':
        return `${c}: 非準拠です。猶予期間の終わり (${h.until.slice(11, 16)} UTC) に元に戻します`;
      case 'blast-radius':
        return `定期チェックが変更数の上限 (${h.limit}) に達し、${h.withheld} 個のクラスターを変更していません`;
      case 'policy-change':
        return `ポリシー ${h.parameter} が ${h.actorLabel ?? '不明な実行者'} により${POLICY_CHANGE_JA[h.state]}`;
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
    if (f.status === 'open' && f.policyChange) return [...lines, ...policyChangeJa(f, value)];
    if (f.status === 'open' && f.blastRadius) return [...lines, ...blastRadiusJa(f, value)];
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
        lines.push(blockedSentenceJa(f, value));
        break;
      case 'failed':
        lines.push(failedJa(f, value));
        break;
      case 'deferred':
        lines.push(f.grace ? graceJa(f, changes) : `${c}: 理由 (原文): ${value(f.reason)}`);
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
  action(a, value, lockout) {
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
          ...(lockout ? lockoutJa(lockout, value) : [`次の対処が必要です (原文): ${value(a.fix)}`]),
          'VPC がプライベートエンドポイントの名前を解決できない状態でパブリックエンドポイントを無効にすると、ノードと kubectl が API サーバーに接続できなくなります。次回の定期チェックで再度確認します。',
        ];
      case 'before-enforcing':
        return [
          ...(lockout
            ? ['強制モードにする前に、次の対処が必要です。', ...lockoutJa(lockout, value)]
            : [`強制モードにする前に、次の対処が必要です (原文): ${value(a.fix)}`]),
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
      `${source} (${version !== undefined ? `パラメータのバージョン ${version}、` : ''}${mode === 'notify' ? '通知モード' : '強制モード'})`,
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

const FOUND_JA: Record<TriggerFacts['source'], string> = {
  event: 'CloudTrail イベント',
  sweep: '定期チェック',
  recheck: '再チェック',
  cli: 'コマンドライン',
};

const POLICY_STATE_JA = {
  missing: 'が存在しません',
  unreadable: 'を読み取れません',
  empty: 'が空です',
  invalid: 'が無効です',
} as const;

const POLICY_CHANGE_JA = {
  changed: '変更されました',
  weakened: '弱められました',
  deleted: '削除されました',
  invalid: '変更され、無効になりました',
} as const;

function blockedJa(cause: Extract<Headline, { kind: 'blocked' }>['cause']): string {
  if (cause.kind === 'reason') return 'ロックアウト防止';
  if (cause.kind === 'dhcp') return 'VPC の DHCP オプションがプライベートエンドポイントを解決できない';
  if (cause.support && cause.hostnames) return 'VPC の DNS サポートと DNS ホスト名が無効';
  return cause.support ? 'VPC の DNS サポートが無効' : 'VPC の DNS ホスト名が無効';
}

/** Japanese verb stems, completed by the sentence (…し + ました / ます). */
function changeJa(change: AlertFacts['changes'][number], after: EndpointConfig | undefined): string {
  if (change === 'public-off') return 'パブリックエンドポイントを無効にし';
  if (change === 'private-on') return 'プライベートエンドポイントを有効にし';
  return `パブリックアクセスを ${(after?.publicAccessCidrs ?? []).join(', ')} に制限し`;
}
