// Review states of a provider's name, in one place. Only a listed provider is named on a public surface; a case whose
// provider is anything else is shown under the reserved pseudo-provider 其他机构.
import type { Provider, ProviderStatus } from './schema.ts';

export const OTHER_PROVIDER = { slug: 'other', name: '其他机构' } as const;
/** Names a consumer's words may be matched to when filing (merged names live on as their target's aliases). */
export const FILEABLE: readonly ProviderStatus[] = ['listed', 'pending', 'rejected'];
/** Longest provider name a consumer may type (the directory's own names are the admins'). */
export const NAME_MAX = 40;

type HasStatus = Pick<Provider, 'status'>;
export const isListed = (p: HasStatus) => p.status === 'listed';
export const isPending = (p: HasStatus) => p.status === 'pending';
export const isFileable = (p: HasStatus) => FILEABLE.includes(p.status);
/** Listed providers and 其他机构: the slugs a public filter (cases, feeds, exports) may name. */
export const isPublicFilter = (p: HasStatus) => p.status === 'listed' || p.status === 'reserved';

export const STATUS_LABELS: Record<ProviderStatus, string> = {
  listed: '已收录',
  pending: '待审核',
  rejected: '已驳回',
  merged: '已合并',
  reserved: '其他机构（保留）',
};
