// Component schemas of the OpenAPI description (openapi.ts holds the paths).
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const num = { type: 'number' } as const;
const day = { type: 'string', format: 'date', description: 'YYYY-MM-DD（北京时间），公开数据只精确到日' } as const;
const rate = { type: 'number', nullable: true, minimum: 0, maximum: 1, description: '0 到 1 之间的比例；背后少于 10 件时为 null（样本不足）' } as const;
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const counts = { type: 'object', additionalProperties: int };

export const SCHEMAS: Record<string, unknown> = {
  Error: obj({ error: obj({ code: str, message: { ...str, description: '中文说明' }, field: { ...str, description: '出错的字段（如有）' } }, ['code', 'message']) }),
  Provider: obj({ slug: str, name: str, aliases: { type: 'array', items: str }, hotline: { ...str, nullable: true }, verified: bool,
    contactSource: { ...str, nullable: true }, lastVerifiedAt: { ...str, format: 'date-time', nullable: true } }, ['slug', 'name', 'aliases', 'hotline', 'verified']),
  User: obj({ id: int, email: str, role: { type: 'string', enum: ['consumer', 'provider_staff', 'admin'] }, displayName: str }, ['id', 'email', 'role']),
  CaseListItem: obj({
    id: int, url: str, title: str, titleHighlighted: { ...str, description: '已转义的 HTML，搜索词以 <mark> 标出' },
    snippet: { ...str, description: '已转义的 HTML 摘要，搜索词以 <mark> 标出' }, provider: { ...str, description: '机构标识 slug' }, providerName: str,
    category: str, categoryLabel: str, status: str, statusLabel: str, amountFen: { ...int, nullable: true, description: '涉诉金额，单位：分' },
    filedAt: day, overdue: { ...bool, description: '机构未在时限内回复或解决（超时）' },
  }),
  Facets: obj({ provider: counts, category: counts, status: counts }),
  CaseList: obj({ total: int, totalIsEstimate: bool, page: int, pageSize: int, items: { type: 'array', items: { $ref: '#/components/schemas/CaseListItem' } },
    facets: { $ref: '#/components/schemas/Facets' },
    match: { type: 'string', enum: ['all', 'partial'], description: 'all：每个案例都包含全部搜索词；partial：没有案例同时包含全部词，结果为部分匹配（包含较多词的在前）' },
    unmatched: { type: 'array', items: str, description: '没有任何案例包含的搜索词（不计筛选条件）' },
  }, ['total', 'page', 'pageSize', 'items', 'facets', 'match', 'unmatched']),
  PublicCase: obj({
    id: int, url: str, title: str, description: str, consumer: { ...str, description: '每案不同的匿名代号，无法跨案关联' },
    provider: obj({ slug: str, name: str, hotline: { ...str, nullable: true }, verified: bool }),
    category: str, categoryLabel: str, demands: { type: 'array', items: str }, demandLabels: { type: 'array', items: str },
    amountFen: { ...int, nullable: true }, filedAt: day, incidentDate: { ...day, nullable: true }, status: str, statusLabel: str, overdue: bool,
    deadlines: obj({ firstResponseDue: { ...day, nullable: true }, firstResponseMet: { ...bool, nullable: true }, firstResponseOverdue: bool,
      resolutionDue: { ...day, nullable: true }, resolutionOverdue: bool }),
    timeline: { type: 'array', items: obj({ type: str, label: str, by: { type: 'string', enum: ['consumer', 'provider', 'platform'] }, body: { ...str, nullable: true }, date: day, status: { ...str, nullable: true },
      superseded: { ...bool, description: '被消费者否决、重新打开或新方案取代的旧方案：只是历史，不是答复' } }, ['type', 'label', 'by', 'body', 'date', 'status']) },
    resolution: { ...obj({ text: str, date: day, confirmed: bool }), nullable: true, description: '当前有效的方案或已确认的解决结果；被否决或重新打开后为 null' },
    stateNote: { ...str, nullable: true, description: '投诉为何重新处于处理中（消费者不认可方案或重新打开）' },
    outcome: obj({ resolved: bool, refunded: bool, daysToResolution: { ...num, nullable: true },
      rating: { ...obj({ attitude: int, speed: int, satisfaction: int }), nullable: true } }),
    updatedAt: day,
  }),
  Outcomes: obj({ basedOn: int, concluded: int, shareResolved: rate, medianDaysToResolution: { ...num, nullable: true }, shareRefunded: rate }),
  Similar: obj({ items: { type: 'array', items: { $ref: '#/components/schemas/CaseListItem' } }, outcomes: { $ref: '#/components/schemas/Outcomes' } }),
  Scorecard: obj({
    slug: str, name: str, hotline: { ...str, nullable: true }, verified: bool, complaints: int, replyRate: rate, onTimeFirstResponseRate: rate,
    medianFirstResponseHours: { ...num, nullable: true }, confirmedResolutionRate: { ...rate, description: '只计消费者确认的“已解决”；消费者未确认而关闭的不算' },
    averageRating: { ...num, nullable: true }, counts: { type: 'object', additionalProperties: num },
    figures: {
      type: 'object', description: '每个数字背后的件数 n；比率另有 95% Wilson 区间 low/high。少于 minimumSample 件时比率为 null（样本不足）',
      additionalProperties: obj({ rate, n: int, low: rate, high: rate }, ['n']),
    },
    minimumSample: int,
    trend: { type: 'array', items: obj({ month: str, complaints: int, replyRate: rate, onTimeFirstResponseRate: rate, confirmedResolutionRate: rate, finished: int, thin: bool }) },
    asOf: { ...str, format: 'date-time' }, definitions: { type: 'object', additionalProperties: str },
  }),
  ComplaintInput: obj({
    provider: { ...str, description: '机构 slug、名称或别名；名录中没有的机构会作为待核实机构创建' }, category: str, title: str, description: str,
    demands: { type: 'array', items: { type: 'string', enum: ['refund', 'unfreeze', 'compensation', 'explanation', 'apology', 'other'] } },
    amountFen: int, incidentDate: day, transactionRef: { ...str, description: '永不公开' }, contactPhone: str, shareContact: bool,
    consent: { type: 'string', enum: ['public', 'private'] },
  }, ['provider', 'category', 'title', 'description', 'demands', 'consent']),
  EventInput: obj({
    type: { type: 'string', enum: ['approve', 'reject', 'close_unresolved', 'unpublish', 'republish', 'reply', 'request_info', 'propose_resolution', 'note', 'supplement', 'confirm', 'dispute', 'withdraw', 'reopen'] },
    body: str, reason: str, rating: obj({ attitude: int, speed: int, satisfaction: int }),
  }, ['type']),
  Preview: obj({ title: str, description: str, findings: int, removed: counts }),
  Publication: obj({ state: { type: 'string', enum: ['published', 'taken_down', 'not_public'] }, published: bool }, ['state']),
  Any: { type: 'object', additionalProperties: true },
};
