// What each status means for the person following a complaint, in the words of the help page. The labels themselves
// live with the states (complaints/states.ts); a new status without an explanation here fails the type check.
import type { Status } from '../complaints/states.ts';

export const STATUS_HELP: Record<Status, string> = {
  submitted:
    '投诉已提交，等待平台审核。审核只看投诉是否完整、是否针对数字钱包或支付服务、是否含有辱骂或他人隐私；在此期间你可以修改投诉。',
  rejected: '审核未通过，页面上写明了原因。你可以按原因修改后重新提交。',
  forwarded: '已转交给被投诉的机构，回复时限从此刻开始计算。',
  in_progress: '机构已回复，正在处理。你可以随时补充材料。',
  awaiting_consumer: '机构提出了解决方案或请你补充信息，等待你确认或回应；逾期未确认，投诉会自动关闭。',
  resolved: '你确认问题已解决，并对机构的处理作了评价。',
  closed_unconfirmed: '机构提出方案后你在期限内没有确认，投诉已关闭；在重新打开的期限内你仍可以重新打开。',
  closed_unresolved: '平台认定投诉无法继续推进（例如机构长期不回应），以未解决结案。',
  withdrawn: '你撤回了投诉；机构会收到撤诉通知。',
};
