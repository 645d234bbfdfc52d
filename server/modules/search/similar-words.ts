// Which of a draft's words may drive "similar cases". Numbers, dates, times and the words every complaint uses (客服,
// 工作日, 问题 …) say nothing about what went wrong: two drafts that share "2026", "11" and "工作日" are not alike.
// The problem words (冻结, 盗刷, 退款 …), the category and the provider are what make cases alike.

/** Generic complaint vocabulary: frequent in every category, so it matches everything and explains nothing. */
const GENERIC: ReadonlySet<string> = new Set([
  '客服',
  '人工',
  '人工客服',
  '工作日',
  '工作日内',
  '个工作日',
  '问题',
  '开始',
  '无法',
  '不能',
  '需要',
  '可能',
  '应该',
  '情况',
  '处理',
  '解决',
  '反馈',
  '投诉',
  '联系',
  '电话',
  '回复',
  '答复',
  '告知',
  '告诉',
  '表示',
  '说明',
  '通知',
  '消息',
  '短信',
  '今天',
  '昨天',
  '前天',
  '明天',
  '目前',
  '现在',
  '至今',
  '当时',
  '时间',
  '日期',
  '期间',
  '小时',
  '分钟',
  '上午',
  '下午',
  '晚上',
  '中午',
  '凌晨',
  '早上',
  '星期',
  '周末',
  '月份',
  '年份',
  '多次',
  '几次',
  '一次',
  '再次',
  '本人',
  '用户',
  '客户',
  '平台',
  '希望',
  '要求',
  '请求',
  '尽快',
  '马上',
  '立即',
  '发现',
  '使用',
  '操作',
  '进行',
  '相关',
  '方面',
  '出现',
  '导致',
  '结果',
  '一下',
  '之后',
  '之前',
  '以后',
  '以前',
  '等待',
  '耐心',
  '核实',
  '查询',
  '确认',
  '申请',
  '提交',
  '提供',
  '麻烦',
  '谢谢',
  '非常',
  '特别',
  '还是',
  '可是',
  '而且',
  '不过',
  '所有',
  '全部',
  '任何',
  '其他',
  '东西',
  '事情',
  '内容',
]);

// Any ASCII or full-width digit, or a Chinese numeral standing alone or before a unit of time, count or money.
const HAS_DIGIT = /[0-9０-９]/;
const CHINESE_NUMBER =
  /^[零〇一二两三四五六七八九十百千万亿半几]+(?:年|月|日|号|天|周|次|个|元|块|分|秒|点|小时|分钟|星期|个月|多)?$/;
const WEEKDAY = /^(?:周|星期|礼拜)[一二三四五六日天末]$/;

export function isSimilarityWord(word: string): boolean {
  return (
    word.length >= 2 && !HAS_DIGIT.test(word) && !CHINESE_NUMBER.test(word) && !WEEKDAY.test(word) && !GENERIC.has(word)
  );
}

/** The words of a draft's title (counted double: its author's own summary) and body that may drive similarity. */
export function similarityWeights(titleWords: readonly string[], bodyWords: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const w of titleWords) if (isSimilarityWord(w)) tf.set(w, (tf.get(w) ?? 0) + 2);
  for (const w of bodyWords) if (isSimilarityWord(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
}
