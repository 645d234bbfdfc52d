// What the two-factor routes accept and answer: enrolment, the second login step, and the admin's site settings.
import { Loose, Type } from '../../lib/schema.ts';
import { PublicUser } from './schemas.ts';

const Code = Type.String({ title: '验证码', maxLength: 20, description: '验证器当前显示的 6 位数字' });
const RecoveryCode = Type.String({ title: '恢复码', maxLength: 40, description: '设置时保存的一次性恢复码' });

export const TotpSetup = Type.Object({
  secret: Type.String({ description: '共享密钥（Base32），可手动输入验证器' }),
  otpauthUrl: Type.String({ description: 'otpauth:// 地址（二维码的内容）' }),
  qrSvg: Type.String({ description: '二维码（SVG）' }),
});
export const TotpStatus = Type.Object({
  enabled: Type.Boolean(),
  pending: Type.Boolean({ description: '已开始设置、尚未用验证码确认' }),
  required: Type.Boolean({ description: '平台要求此账户启用两步验证' }),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
});
export const CodeBody = Type.Object({ code: Code });
export const DisableBody = Type.Object({ password: Type.String({ title: '密码', maxLength: 128 }), code: Code });
export const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: '一次性恢复码：只在此时显示一次' }),
});

export const MfaChallenge = Type.Object(
  {
    mfaRequired: Type.Literal(true),
    mfaToken: Type.String({ description: '第二步用的令牌，5 分钟内有效' }),
  },
  { title: '需要两步验证' },
);
export const LoginAnswer = Type.Union([Type.Object({ user: PublicUser }), MfaChallenge]);
export const SecondStepBody = Type.Object({
  mfaToken: Type.String({ title: '登录令牌', maxLength: 100 }),
  code: Type.Optional(Code),
  recoveryCode: Type.Optional(RecoveryCode),
});

export const Settings = Type.Object({
  requireTotpForAdmins: Type.Boolean({ description: '管理员必须启用两步验证' }),
  requireTotpForStaff: Type.Boolean({ description: '机构工作人员必须启用两步验证' }),
});
export const SettingsPatch = Type.Partial(Settings, { minProperties: 1 });

/** Forms post strings and may leave fields out. */
export const CodeForm = Type.Object({ code: Loose('验证码', 20) });
export const DisableForm = Type.Object({ password: Loose('密码', 128), code: Loose('验证码', 20) });
export const SecondStepForm = Type.Object({
  token: Loose('登录令牌', 100),
  code: Loose('验证码', 20),
  recoveryCode: Loose('恢复码', 40),
  next: Loose('返回地址'),
});
export const SecurityPageQuery = Type.Object({ required: Loose('提示'), done: Loose('提示') });
export const SettingsForm = Type.Object({
  requireTotpForAdmins: Loose('管理员必须启用两步验证', 10),
  requireTotpForStaff: Loose('机构工作人员必须启用两步验证', 10),
});
export const SettingsPageQuery = Type.Object({ saved: Loose('提示') });
