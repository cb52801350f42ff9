import type { Busy } from '../cause';
import { dhcpCommands, type Lockout, lockoutCommands } from '../lockout';
import type { AlertFacts, PolicyFault } from './fact-types';

/**
 * The guard's own sentences about why it did not act, in Japanese, from the facts: what stands in
 * the way of turning the public endpoint off, why a check failed, a grace period, a sweep stopped
 * at its limit, a policy change. Values from outside (VPC DNS servers, EKS's messages, AWS
 * errors, cluster names, actors) go through `value` and stay as they are.
 */
type Value = (text: string) => string;

/** What to do before the public endpoint can go off: one sentence per thing in the way. */
export function lockoutJa(lockout: Lockout, value: Value): string[] {
  const lines: string[] = [];
  if (lockout.turnOn.length > 0) {
    const attributes = lockout.turnOn.map((a) => (a === 'dnsSupport' ? 'DNS サポート' : 'DNS ホスト名'));
    lines.push(
      `VPC ${lockout.vpcId} の ${attributes.join('と ')}を有効にしてください (${lockoutCommands(lockout)
        .map((c) => `\`${c}\``)
        .join('、')})。`,
    );
  }
  const dhcp = lockout.dhcp;
  if (dhcp) {
    const servers =
      dhcp.servers.length > 0
        ? `が配布する DNS サーバーは ${dhcp.servers.map(value).join('、')} だけで`
        : 'は DNS サーバーを配布しておらず';
    const [create, associate] = dhcpCommands(lockout.vpcId);
    lines.push(
      `VPC ${lockout.vpcId} の DHCP オプション${dhcp.optionsId ? ` ${dhcp.optionsId} ` : ''}${servers}、AmazonProvidedDNS を含まないため、クライアントはプライベートエンドポイントの名前を解決できません。` +
        `それらの DNS サーバーから \`${dhcp.zone}\` を VPC のリゾルバー (Route 53 Resolver のインバウンドエンドポイント) に転送するか、AmazonProvidedDNS を含む DHCP オプションを関連付けてください (\`${create}\`、続けて \`${associate}\`)。`,
    );
  }
  return lines;
}

/** Why the guard did not change a blocked cluster. */
export function blockedSentenceJa(f: AlertFacts, value: Value): string {
  const c = `EKS クラスター ${f.cluster}`;
  if (f.lockout) {
    return `${c} はエンドポイントポリシーに準拠していませんが、ガードは変更を見送りました。今パブリックエンドポイントを無効にすると、VPC 内のクライアントがプライベートエンドポイントの名前を解決できず、API サーバーに接続できなくなるためです。`;
  }
  return `${c} はエンドポイントポリシーに準拠していませんが、ガードは変更を見送りました。理由 (原文): ${value(f.reason)}`;
}

/** Why a decision failed: the policy, the update, the wait, an AWS error or unreadable input. */
export function failedJa(f: AlertFacts, value: Value): string {
  const c = `EKS クラスター ${f.cluster}`;
  // The policy's own sentence says nothing changes; a sweep that met it also stopped.
  if (f.policyFault) {
    return `${policyFaultJa(f.policyFault, value)}${f.cluster === '-' ? 'この定期チェックは中止しました。' : ''}`;
  }
  const status = f.update?.status;
  if (status === 'Failed' || status === 'Cancelled') {
    const update = f.update?.id ? `エンドポイントの更新 ${f.update.id}` : 'エンドポイントの更新';
    return `ガードが ${c} に対して発行した${update} は${status === 'Failed' ? '失敗しました' : 'キャンセルされました'}。EKS が報告したエラーは「EKS の更新」に示します。次回の定期チェックで再度確認します。`;
  }
  const cause = f.cause;
  switch (cause?.kind) {
    case 'eks-rejected':
      return `EKS が ${c} のエンドポイントの更新を拒否したため、何も変更していません。EKS のメッセージ: ${value(cause.message)}`;
    case 'deadline':
      return `${c} は${busyJa(cause.busy)}で、${cause.attempts} 回再チェックしましたが、期限 ${cause.deadline} を過ぎたため、何も変更していません。`;
    case 'check-error':
      return `AWS の呼び出しが再試行の後も失敗したため、ガードは ${c} を確認できませんでした。次回の定期チェックで再度確認します。エラー: ${value(cause.error)}`;
    case 'unreadable':
      return `ガードが読み取れない入力を受け取ったため、確認するクラスターがありません。何も変更していません。読み取れなかった箇所 (英語の診断): ${value(cause.detail)}`;
    default:
      return `ガードは ${c} を確認または修正できませんでした。理由 (原文): ${value(f.reason)}`;
  }
}

/** The policy that could not be used, and where to look. */
export function policyFaultJa(fault: PolicyFault, value: Value): string {
  const parameter = `SSM パラメータ ${fault.source} のポリシー`;
  switch (fault.state) {
    case 'missing':
      return `${parameter}がありません (パラメータが存在しません)。ポリシーを読み取れるまで、ガードはどのクラスターも変更しません。`;
    case 'unreadable':
      return `ガードには${parameter}を読み取る権限がありません。ポリシーを読み取れるまで、ガードはどのクラスターも変更しません。`;
    case 'empty':
      return `${parameter}が空です。ポリシーを読み取れるまで、ガードはどのクラスターも変更しません。`;
    default: {
      const where = fault.at
        ? ` (${fault.at.line} 行 ${fault.at.column} 列で JSON として読み取れません)`
        : fault.field
          ? ` (項目 ${value(fault.field)} が規則に合いません)`
          : '';
      return `${parameter}が無効です${where}。誤りはコマンド \`npm run cli -- policy show\` で確認できます。ポリシーを読み取れるまで、ガードはどのクラスターも変更しません。`;
    }
  }
}

function busyJa(busy: Busy): string {
  if (busy.kind === 'cluster') return `クラスターが ${busy.status} 状態のまま`;
  if (busy.kind === 'another-update') return '別の更新が進行中のまま';
  return `更新 ${busy.updateId} が ${busy.status} のまま`;
}

/** A new violation left alone for the grace period: when it is reverted. */
export function graceJa(f: AlertFacts, changes: string[]): string {
  const until = f.grace?.until ?? '';
  const then = changes.length > 0 ? ` (${changes.join('、')}ます)` : '';
  return `EKS クラスター ${f.cluster} はエンドポイントポリシーに準拠していません。ポリシーに猶予期間があるため、まだ何も変更していません。${until.slice(11, 16)} UTC (${until}) までに除外が設定されるか、準拠する設定に直されない限り、ガードはその時点で元に戻します${then}。`;
}

/** A sweep that stopped at the policy's maxRemediationsPerRun. */
export function blastRadiusJa(f: AlertFacts, value: Value): string[] {
  const blast = f.blastRadius;
  if (!blast) return [];
  const more =
    blast.withheld > blast.clusters.length ? ` ほか ${blast.withheld - blast.clusters.length} 個` : '';
  return [
    `定期チェックで、1 回に変更できる上限 (maxRemediationsPerRun ${blast.limit}) を超える非準拠のクラスターが見つかったため、${blast.withheld} 個のクラスターを変更せずに残しました: ${blast.clusters.map(value).join('、')}${more}。`,
    `ポリシーが誤っている場合はすぐに修正してください。定期チェックのたびに、さらに最大 ${blast.limit} 個のクラスターが変更されます。`,
  ];
}

/** Who changed the policy parameter, and what that means. */
export function policyChangeJa(f: AlertFacts, value: Value): string[] {
  const change = f.policyChange;
  if (!change) return [];
  const who = value(f.trigger.actorArn ?? '不明な実行者');
  const parameter = `SSM パラメータ ${change.parameter} のポリシー`;
  if (f.outcome === 'failed') {
    if (change.eventName.startsWith('Delete')) {
      return [
        `${parameter}が ${who} によって削除されました。復元されるまで、ガードはどのクラスターも変更しません。`,
      ];
    }
    const field = f.policyFault ? policyFaultJa(f.policyFault, value) : '';
    return [`${parameter}が ${who} によって変更され、ガードが使えない内容になりました。${field}`.trim()];
  }
  if (change.eventName === 'LabelParameterVersion') {
    return [`${parameter}のラベルが ${who} によって移動されました。ガードが読み取る値は変わっていません。`];
  }
  const versions =
    change.version === undefined
      ? ''
      : change.previousVersion === undefined
        ? `、バージョン ${change.version}`
        : `、バージョン ${change.previousVersion} → ${change.version}`;
  return [
    `${parameter}が ${who} によって変更されました (${change.eventName}${versions})。${change.weaker.length > 0 ? 'この変更により強制が弱まります。' : ''}`,
  ];
}

/** One line of a policy diff (core/policy/diff.ts), its own fixed words in Japanese; field names and values as they are. */
export function policyChangeLineJa(line: string): string {
  const fixed: [RegExp, string][] = [
    [/^the policy parameter was deleted$/, 'ポリシーパラメータが削除されました'],
    [
      /^a label was moved; the value the guard reads is unchanged$/,
      'ラベルが移動されました。ガードが読み取る値は変わっていません',
    ],
    [/^version (\d+) is not a valid policy$/, 'バージョン $1 は有効なポリシーではありません'],
    [
      /^version (\d+) before it was not a valid policy$/,
      'その前のバージョン $1 は有効なポリシーではありませんでした',
    ],
    [/^the text changed, the rules did not$/, 'テキストは変わりましたが、ルールは変わっていません'],
    [/^new policy: /, '新しいポリシー: '],
    [/^(\w+): added (.*)$/, '$1: $2 を追加'],
    [/^(\w+): removed (.*)$/, '$1: $2 を削除'],
    [/^(\w+): changed (.*)$/, '$1: $2 に変更'],
  ];
  let text = line;
  for (const [pattern, words] of fixed) text = text.replace(pattern, words);
  return text
    .replace(/, no end date\)/g, '、期限なし)')
    .replace(/, until ([\d-]+(?:T[\d:]+Z)?)\)/g, '、$1 まで)')
    .replace(/\bunlimited\b/g, '無制限')
    .replace(/\bnone\b/g, 'なし')
    .replace(/\boff \(null\)/g, 'オフ (null)')
    .replace(/: no rules\b/g, ': ルールなし');
}

/** The rule set a decision applied (`publicAccess "disabled", privateAccess "required" (policy)`), its source in Japanese. */
export function ruleJa(rule: string): string {
  return rule
    .replace(/ \(policy\)$/, ' (ポリシー全体)')
    .replace(/ \((overrides\[\d+\] .*)\)$/, ' (上書き $1)')
    .replace(/, privateAccess/, '、privateAccess');
}
