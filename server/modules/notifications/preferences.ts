// Which complaint e-mails a consumer wants, in a few groups a person understands rather than one switch per kind. The
// groups cover the kinds lifecycle-messages.ts sends to consumers; a kind in no group is always sent. Stored in
// users.notify_prefs by group key; an absent key means the default: send. Mail about the account itself
// (verification, password) goes through account-mail.ts and is never subject to these.

export const NOTIFY_GROUPS = [
  {
    key: 'replies',
    label: '机构的回复、补充信息请求和解决方案',
    hint: '机构提出解决方案后，需要你在规定时间内确认，否则投诉会关闭。',
    kinds: ['provider_reply', 'provider_request_info', 'provider_proposal'],
  },
  {
    key: 'review',
    label: '审核结果（通过并转交机构，或未通过）',
    hint: '',
    kinds: ['approved', 'rejected'],
  },
  {
    key: 'deadlines',
    label: '机构未按时回复或未按时提出解决方案',
    hint: '',
    kinds: ['first_response_breached', 'resolution_breached'],
  },
  {
    key: 'closing',
    label: '投诉被关闭（未解决或逾期未确认）',
    hint: '',
    kinds: ['closed_unresolved', 'auto_closed'],
  },
] as const;

export type NotifyGroup = (typeof NOTIFY_GROUPS)[number]['key'];
export const NOTIFY_GROUP_KEYS = NOTIFY_GROUPS.map((g) => g.key) as NotifyGroup[];
export type NotifyPrefs = Record<NotifyGroup, boolean>;

const GROUP_OF_KIND = new Map<string, NotifyGroup>(NOTIFY_GROUPS.flatMap((g) => g.kinds.map((k) => [k, g.key])));

/** Every group's setting, the defaults filled in. */
export function notifyPrefsOf(stored: Record<string, boolean> | null | undefined): NotifyPrefs {
  return Object.fromEntries(NOTIFY_GROUP_KEYS.map((k) => [k, stored?.[k] !== false])) as NotifyPrefs;
}

/** Whether a consumer with these stored preferences gets mail of this kind. */
export function wantsMail(stored: Record<string, boolean> | null | undefined, kind: string): boolean {
  const group = GROUP_OF_KIND.get(kind);
  return group === undefined || stored?.[group] !== false;
}
