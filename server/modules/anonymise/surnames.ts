// Common Chinese surnames (the ~300 that cover nearly the whole population). Characters that are
// far more often a word than a surname in complaint prose (和, 于 as "at", 明, 时, 成, 全, 连, 单,
// 车, 应, 通…) are left out on purpose: a cue name needs a surname, and a false surname turns
// ordinary words into [姓名].
export const SINGLE_SURNAMES = new Set((
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜' +
  '崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施' +
  '文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛' +
  '曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳穆农司卓古吉缪简项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米' +
  '柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝于向'
).split(''));

export const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯',
  '轩辕', '端木', '独孤', '南宫', '西门', '百里', '呼延', '万俟', '申屠', '澹台', '公冶', '太史', '淳于', '单于',
]);

/** Length of the surname at the start of `s` (2 for a compound surname), or 0. */
export function surnameLength(s: string): number {
  if (s.length >= 2 && COMPOUND_SURNAMES.has(s.slice(0, 2))) return 2;
  return SINGLE_SURNAMES.has(s.charAt(0)) ? 1 : 0;
}

// Characters that cannot be part of a given name: particles, pronouns, and the words that follow a
// name in a complaint ("我叫张三在…", "联系人李四说…", "张女士").
const STRONG_STOP = '的了在是于和与及或也都就还又被把给向从到对为以因所而但却并且等说要已曾将不没无非这那哪么时日月年元块钱号先女们个啊呢吗吧呀讲称告反投诉申请退转收付支账打电手微姓名我你他她它';
// Characters that rarely end a given name and often start the next word ("本人王芳今天…").
const WEAK_STOP = '谢问烦今昨去来用使通办注开绑买卖充提发拨找联咨询客商银行卡想会能可很太更最一多近经当刚才再自家于在已';
export const STRONG_STOP_SET = new Set(STRONG_STOP.split(''));
export const WEAK_STOP_SET = new Set((STRONG_STOP + WEAK_STOP).split(''));

// Everyday words that begin with a surname character: "持卡人方面…", "联系人高度重视…" name nobody.
export const NOT_NAMES = new Set([
  '方面', '方式', '方法', '方便', '方案', '方向', '高度', '高额', '高兴', '周末', '周围', '周期', '金额', '余额', '常规',
  '万元', '于是', '向来', '安全', '安装', '关于', '关系', '关注', '关闭', '司法', '文件', '文字', '包括', '管理', '石油',
  '黄金', '白天', '华为', '苏宁', '程序', '程度', '任何', '任务', '全部', '原因', '严重', '简单', '曾经', '江湖', '宁愿',
  '路上', '邮件', '龙头', '董事', '季度', '温度', '康复', '孔子', '毛病', '齐全', '易懂', '钱包', '柏林', '商户', '商家',
  '商品', '骆驼', '申请', '申诉', '章程', '乔迁', '党员', '宫殿', '费用', '卜卦', '冷静', '米饭', '师傅', '桑拿', '项目',
  '查询', '查看', '池子', '迟迟', '麻烦', '古代', '吉利', '司机', '农业', '卫生', '谢谢', '韩国', '戴着', '解冻', '万分', '万一',
  '高速', '江苏', '石家', '张贴', '张口', '向前', '于今',
]);
// Words that end in a surname character: in "关于先生" the 于 is not Mr Yu.
export const WORDS_ENDING_IN_SURNAME = new Set([
  '关于', '对于', '由于', '至于', '在于', '等于', '属于', '终于', '位于', '鉴于', '基于', '用于', '处于', '过于', '易于',
  '便于', '急于', '敢于', '善于', '勇于', '乐于', '忙于', '趋于', '限于', '出于', '归于', '免于', '方向', '面向', '一向',
  '转向', '走向', '倾向', '去向', '志向', '动向', '流向', '偏向', '指向', '朝向', '导向', '提高', '很高', '最高', '太高',
  '更高', '较高', '通常', '正常', '异常', '非常', '经常', '日常', '平常', '失常', '照常', '反常', '上万', '几万', '一万',
  '数万', '千万', '银行', '感谢', '多谢', '答谢', '文章', '规章', '印章', '盖章', '平安', '公安', '晚安', '治安', '不安',
]);
