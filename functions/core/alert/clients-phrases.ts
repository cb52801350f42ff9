import type { UnknownCause } from '../clients/types';
import { plural, windowText } from '../clients/words';
import type { Language } from './phrase-book';

/**
 * The sentences about the API clients a decision cuts off (DESIGN §18), per language. Addresses,
 * user names and user agents come from the audit log: they are outside values, passed through
 * `value` so that each form marks them its own way.
 */
export interface ClientsPhrases {
  title: string;
  unknown(cause: UnknownCause | undefined, why: string | undefined): string;
  notNobody: string;
  window(since: string, until: string, newest: string | undefined): string;
  none(seen: number): string;
  /** `users` and `agents` are the lists already marked as outside values; undefined when none. */
  client(
    c: { ip: string; requests: number; lastSeen: string },
    users: string | undefined,
    agents: string | undefined,
  ): string;
  more(n: number): string;
  partial(detail: string): string;
  deferred: string;
}

const CAUSE_JA: Record<UnknownCause, string> = {
  'logging-off': 'クラスターのコントロールプレーン監査ログ (EKS のログタイプ audit) が無効です',
  'no-log-group': '監査ログのロググループがありません',
  concurrency:
    'アカウントの Logs Insights の同時実行クエリ数が上限に達しています (次回のチェックで再試行します)',
  'query-ended': 'Logs Insights のクエリが完了しませんでした',
  'scan-cap': '1 回の判定で読み取れる量の上限に達しました',
  deadline: '監査ログの読み取りが制限時間内に終わりませんでした',
  'look-up-off': 'このガードではクライアントの検索が無効になっています',
  error: '監査ログの読み取りに失敗しました',
};

const en: ClientsPhrases = {
  title: 'API clients the change cuts off',
  unknown: (_cause, why) => `Unknown: ${why ?? 'the audit log was not read'}.`,
  notNobody: '"Unknown" is not "nobody": find out who uses the endpoint before relying on the change.',
  window: (since, until, newest) =>
    `From the audit log of the last ${windowText(since, until)} (${since} to ${until})${
      newest
        ? `; the newest event read is from ${newest}: the log reaches CloudWatch minutes late, so the newest clients may be missing`
        : ''
    }.`,
  none: (seen) => `None of the ${plural(seen, 'client')} seen in that window.`,
  client: (c, users, agents) =>
    `${c.ip}: ${plural(c.requests, 'request')}, last seen ${c.lastSeen}${users ? `; users ${users}` : ''}${agents ? `; user agents ${agents}` : ''}`,
  more: (n) => `… and ${plural(n, 'more client')}.`,
  partial: (detail) => `Part of the log was not read (${detail}): the list is a lower bound.`,
  deferred:
    'The policy protects active clients (protectActiveClients "defer"): the change waits one grace period, so that they can move to an allowed network or be exempted, and is made when it ends.',
};

const ja: ClientsPhrases = {
  title: '変更によりアクセスできなくなる API クライアント',
  unknown: (cause) => `不明です: ${cause ? CAUSE_JA[cause] : '監査ログを読み取っていません'}。`,
  notNobody:
    '「不明」は「該当なし」ではありません。変更に頼る前に、エンドポイントの利用者を確認してください。',
  window: (since, until, newest) =>
    `直近 ${windowJa(since, until)}の監査ログ (${since} から ${until}) によります。${
      newest
        ? `読み取った最新のイベントは ${newest} のものです。監査ログは数分遅れて CloudWatch に届くため、最新のクライアントが含まれていない場合があります。`
        : ''
    }`,
  none: (seen) => `この期間に確認された ${seen} 件のクライアントのうち、該当するものはありません。`,
  client: (c, users, agents) =>
    `${c.ip}: リクエスト ${c.requests} 件、最終確認 ${c.lastSeen}${users ? `、ユーザー ${users}` : ''}${agents ? `、ユーザーエージェント ${agents}` : ''}`,
  more: (n) => `ほか ${n} 件のクライアント。`,
  partial: () => '監査ログの一部を読み取れなかったため、この一覧は下限です。',
  deferred:
    'ポリシーは稼働中のクライアントを保護します (protectActiveClients "defer")。許可されたネットワークへの移行または除外の申請ができるよう、変更は猶予期間 1 回分待ち、その終了時に実施されます。',
};

/** `24 時間` for the window of a look-up. */
function windowJa(since: string, until: string): string {
  const text = windowText(since, until);
  const match = /^(\d+) (h|min)$/.exec(text);
  return match ? `${match[1]} ${match[2] === 'h' ? '時間' : '分間'}` : '期間';
}

export const CLIENTS_PHRASES: Record<Language, ClientsPhrases> = { en, ja };
