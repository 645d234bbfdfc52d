// What people are told when a complaint moves: the consumer on each provider action, on moderation and on breach;
// provider staff on warnings, breaches and consumer answers they must act on. Text only: the notifications module adds
// the reference and the link, and sends through the outbox.
import { formatDateTime } from '../../lib/view-helpers.ts';
import { DEFAULT_POLICY } from '../sla/deadlines.ts';
import { dueSentence, type DueTimes } from '../sla/view-model.ts';

export type Audience = 'consumer' | 'provider_staff';
export interface Message {
  audience: Audience;
  kind: string;
  subject: string;
  text: string;
}

export interface MessageContext {
  event: string;
  reference: string;
  title: string;
  providerName: string;
  providerHotline: string | null;
  body: string | null;
  /** For warnings and breaches: the due time concerned. */
  dueAt?: number | null;
  /** The complaint's stored due times (after the transition): what approval and reopen announce. */
  due?: DueTimes | null;
  /** Awaiting the consumer: when the case closes unconfirmed. */
  autoCloseAt?: number | null;
}

const REGULATOR = '金融消费者权益保护热线 12378（国家金融监督管理总局）、中国人民银行 12363';

export function messagesFor(m: MessageContext): Message[] {
  const tag = `【钱包投诉台】${m.reference}`;
  const quote = m.body ? `\n\n${m.body}\n` : '';
  const toConsumer = (kind: string, subject: string, text: string): Message => ({
    audience: 'consumer',
    kind,
    subject: `${tag} ${subject}`,
    text,
  });
  const toStaff = (kind: string, subject: string, text: string): Message => ({
    audience: 'provider_staff',
    kind,
    subject: `${tag} ${subject}`,
    text,
  });
  const due = m.dueAt ? formatDateTime(m.dueAt) : '';
  const dueTimes = m.due ? `在${dueSentence(m.due)}` : '尽快首次回复并提出解决方案';
  const warned = `时限已过 ${Math.round(DEFAULT_POLICY.warnFraction * 100)}%`;
  const confirmBy = m.autoCloseAt ? `请在北京时间 ${formatDateTime(m.autoCloseAt)} 前` : '请尽快';

  switch (m.event) {
    case 'approve':
      return [
        toConsumer(
          'approved',
          `已转交${m.providerName}`,
          `你的投诉「${m.title}」已通过审核并转交${m.providerName}。机构需${dueTimes}。`,
        ),
      ];
    case 'reject':
      return [
        toConsumer(
          'rejected',
          '审核未通过',
          `你的投诉「${m.title}」未通过审核。原因：${quote}\n你可以修改后重新提交。`,
        ),
      ];
    case 'reply':
      return [
        toConsumer(
          'provider_reply',
          `${m.providerName}回复了你的投诉`,
          `${m.providerName}回复了你的投诉「${m.title}」：${quote}`,
        ),
      ];
    case 'request_info':
      return [
        toConsumer(
          'provider_request_info',
          `${m.providerName}请你补充信息`,
          `${m.providerName}请你为投诉「${m.title}」补充信息：${quote}\n请登录后在投诉页面补充。`,
        ),
      ];
    case 'propose_resolution':
      return [
        toConsumer(
          'provider_proposal',
          `${m.providerName}提出了解决方案`,
          `${m.providerName}为投诉「${m.title}」提出了解决方案：${quote}\n${confirmBy}确认已解决或提出异议；逾期未确认，投诉将关闭。`,
        ),
      ];
    case 'close_unresolved':
      return [
        toConsumer(
          'closed_unresolved',
          '投诉已关闭（未解决）',
          `平台已关闭投诉「${m.title}」（未解决）。${quote}\n30 天内你可以重新打开。`,
        ),
      ];
    case 'auto_close':
      return [
        toConsumer(
          'auto_closed',
          '投诉已关闭（未确认）',
          `你在规定时间内未确认${m.providerName}的解决方案，投诉「${m.title}」已关闭。30 天内你可以重新打开。`,
        ),
      ];
    case 'supplement':
      return [toStaff('consumer_supplement', '消费者补充了信息', `消费者为投诉「${m.title}」补充了信息。`)];
    case 'dispute':
      return [
        toStaff(
          'consumer_dispute',
          '消费者不认可解决方案',
          `消费者不认可投诉「${m.title}」的解决方案，投诉回到处理中，解决时限恢复计时。`,
        ),
      ];
    case 'reopen':
      return [
        toStaff(
          'consumer_reopen',
          '消费者重新打开了投诉',
          `消费者重新打开了投诉「${m.title}」，时限重新计算：请${dueTimes}。`,
        ),
      ];
    case 'first_response_warning':
      return [
        toStaff('first_response_warning', '首次回复即将超时', `投诉「${m.title}」需在 ${due} 前首次回复，${warned}。`),
      ];
    case 'resolution_warning':
      return [
        toStaff('resolution_warning', '解决时限即将超时', `投诉「${m.title}」需在 ${due} 前提出解决方案，${warned}。`),
      ];
    case 'first_response_breached':
    case 'resolution_breached': {
      const what = m.event === 'first_response_breached' ? '首次回复' : '提出解决方案';
      return [
        toStaff(
          m.event,
          `已超时：未按时${what}`,
          `投诉「${m.title}」未在 ${due} 前${what}，已标记为超时（超时记录会公开展示并计入机构评分）。请尽快处理。`,
        ),
        toConsumer(
          m.event,
          `${m.providerName}未按时${what}`,
          `${m.providerName}未在 ${due} 前就你的投诉「${m.title}」${what}，已标记为超时。\n\n` +
            `你可以继续：1. 拨打${m.providerName}客服电话${m.providerHotline ? ` ${m.providerHotline}` : ''}，告知投诉编号 ${m.reference}；` +
            `2. 仍未解决的，可向金融监管部门反映：${REGULATOR}。`,
        ),
      ];
    }
    default:
      return [];
  }
}
