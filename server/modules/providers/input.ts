// Reading the admin's provider input (API and form share it).
import { Fields } from '../../lib/validate.ts';
import type { EmailChannelConfig, WebhookChannelConfig } from './schema.ts';

export interface ProviderInput {
  slug?: string;
  name?: string;
  aliases?: string[];
  hotline?: string | null;
  website?: string | null;
  contactSource?: string | null;
  lastVerifiedAt?: number | null;
  verified?: boolean;
  channels?: { webhook?: WebhookChannelConfig | null; email?: EmailChannelConfig | null };
}

const HOTLINE = /^(\d{3,4}-?)?\d{5,8}$|^[48]00-?\d{3}-?\d{4}$/;

export function readProviderInput(raw: Record<string, unknown>, creating: boolean): ProviderInput {
  const f = new Fields(raw);
  const out: ProviderInput = {};
  if (creating || f.has('slug')) {
    const slug = f.string('slug', '机构标识', { required: creating, max: 40 });
    if (slug !== null && !/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug))
      f.fail('slug', '机构标识只能包含小写字母、数字和连字符，2-40 位');
    else if (slug !== null) out.slug = slug;
  }
  if (creating || raw.name !== undefined) {
    const name = f.string('name', '机构名称', { required: true, max: 60 });
    if (name !== null) out.name = name;
  }
  if (raw.aliases !== undefined) {
    const list = Array.isArray(raw.aliases)
      ? raw.aliases
      : typeof raw.aliases === 'string'
        ? raw.aliases.split(/[,，、\n]/)
        : null;
    if (!list || list.some((a) => typeof a !== 'string' || a.length > 40))
      f.fail('aliases', '别名应为文字列表，每个不超过 40 字');
    else out.aliases = [...new Set(list.map((a: string) => a.trim()).filter(Boolean))];
  }
  if (raw.hotline !== undefined) {
    if (raw.hotline === null || raw.hotline === '') out.hotline = null;
    else if (typeof raw.hotline !== 'string' || !HOTLINE.test(raw.hotline.trim()))
      f.fail('hotline', '客服电话格式不正确（例如 95188 或 400-123-4567）');
    else out.hotline = raw.hotline.trim();
  }
  if (raw.website !== undefined) {
    if (raw.website === null || raw.website === '') out.website = null;
    else if (typeof raw.website !== 'string' || !/^https?:\/\/\S+$/.test(raw.website))
      f.fail('website', '网址需以 http:// 或 https:// 开头');
    else out.website = raw.website;
  }
  if (raw.contactSource !== undefined) out.contactSource = f.string('contactSource', '联系方式来源', { max: 200 });
  if (raw.lastVerifiedAt !== undefined && raw.lastVerifiedAt !== null) {
    const t = typeof raw.lastVerifiedAt === 'number' ? raw.lastVerifiedAt : Date.parse(String(raw.lastVerifiedAt));
    if (!Number.isFinite(t)) f.fail('lastVerifiedAt', '核实日期格式不正确');
    else out.lastVerifiedAt = t;
  }
  if (raw.verified !== undefined) out.verified = f.boolean('verified');
  if (raw.channels !== undefined) {
    const ch = raw.channels as Record<string, unknown> | null;
    if (typeof ch !== 'object' || ch === null || Array.isArray(ch)) f.fail('channels', '转交渠道格式不正确');
    else {
      out.channels = {};
      if ('webhook' in ch) {
        const w = ch.webhook as Record<string, unknown> | null;
        if (w === null) out.channels.webhook = null;
        else if (typeof w !== 'object' || typeof w.url !== 'string' || !/^https?:\/\/\S+$/.test(w.url))
          f.fail('channels.webhook.url', 'Webhook 地址需以 http:// 或 https:// 开头');
        else if (typeof w.secret !== 'string' || w.secret.length < 16)
          f.fail('channels.webhook.secret', 'Webhook 密钥至少 16 位');
        else out.channels.webhook = { url: w.url, secret: w.secret };
      }
      if ('email' in ch) {
        const e = ch.email as Record<string, unknown> | null;
        if (e === null) out.channels.email = null;
        else if (typeof e !== 'object' || typeof e.to !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.to))
          f.fail('channels.email.to', '投诉邮箱格式不正确');
        else out.channels.email = { to: e.to };
      }
    }
  }
  f.done();
  return out;
}
