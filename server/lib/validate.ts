// Small input readers that collect every problem by field, in Chinese, for forms and JSON alike.
import { Invalid } from './errors.ts';

export class Fields {
  readonly errors: Record<string, string> = {};
  constructor(private readonly raw: Record<string, unknown>) {}

  fail(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }

  /** Throws Invalid with every collected problem. */
  done(): void {
    if (Object.keys(this.errors).length) throw new Invalid(this.errors);
  }

  has(field: string): boolean {
    const v = this.raw[field];
    return v !== undefined && v !== null && v !== '';
  }

  string(
    field: string,
    label: string,
    opts: { required?: boolean; min?: number; max: number; multiline?: boolean },
  ): string | null {
    const v = this.raw[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (opts.required) this.fail(field, `请填写${label}`);
      return null;
    }
    if (typeof v !== 'string') {
      this.fail(field, `${label}格式不正确`);
      return null;
    }
    // U+FFFD is what a decoder leaves for invalid UTF-8; control characters have no place in complaint text.
    if (v.includes('\uFFFD')) {
      this.fail(field, `${label}包含无法识别的字符，请检查编码`);
      return null;
    }
    const text = (opts.multiline ? v.replace(/\r\n?/g, '\n') : v.replace(/\s+/g, ' ')).trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) {
      this.fail(field, `${label}包含不允许的控制字符`);
      return null;
    }
    const len = [...text].length;
    if (opts.min && len < opts.min) {
      this.fail(field, `${label}至少需要 ${opts.min} 个字`);
      return null;
    }
    if (len > opts.max) {
      this.fail(field, `${label}不能超过 ${opts.max} 个字（现在 ${len} 个）`);
      return null;
    }
    return text;
  }

  oneOf<T extends string>(
    field: string,
    label: string,
    allowed: readonly T[],
    opts: { required?: boolean } = {},
  ): T | null {
    const v = this.raw[field];
    if (v === undefined || v === null || v === '') {
      if (opts.required) this.fail(field, `请选择${label}`);
      return null;
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `${label}不是可选的值`);
      return null;
    }
    return v as T;
  }

  list<T extends string>(field: string, label: string, allowed: readonly T[], opts: { min?: number } = {}): T[] {
    const v = this.raw[field];
    const items = v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v];
    const out: T[] = [];
    for (const item of items) {
      if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) {
        this.fail(field, `${label}包含不可选的值`);
        return [];
      }
      if (!out.includes(item as T)) out.push(item as T);
    }
    if (opts.min && out.length < opts.min) this.fail(field, `请至少选择一项${label}`);
    return out;
  }

  email(field: string, label = '邮箱'): string | null {
    const v = this.string(field, label, { required: true, max: 254 });
    if (v === null) return null;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) {
      this.fail(field, `${label}格式不正确`);
      return null;
    }
    return v.toLowerCase();
  }

  boolean(field: string): boolean {
    const v = this.raw[field];
    return v === true || v === 'true' || v === 'on' || v === '1' || v === 1;
  }
}
