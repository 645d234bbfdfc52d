// The OpenAPI 3 description of every /api/v1 route, written by hand from API.md and the routes (a test checks that each
// registered /api/v1 route is described here). Served at /api/v1/openapi.json and rendered at /api/docs.
import { SCHEMAS } from './openapi-schemas.ts';

type Json = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown, description = '成功') => ({ description, content: { 'application/json': { schema } } });
const ERR = { $ref: '#/components/responses/Error' };
const path = (name: string, description: string, schema: Json = { type: 'string' }) => ({ name, in: 'path', required: true, description, schema });
const query = (name: string, description: string, schema: Json = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const ID = path('id', '编号', { type: 'integer' });
const SLUG = path('slug', '机构标识，如 alipay');

interface OpDef { tag: string; summary: string; notes?: string; params?: Json[]; body?: unknown; ok?: Json; status?: string; auth?: string; csrf?: boolean; errors?: string[] }

function op(d: OpDef): Json {
  const responses: Json = { [d.status ?? '200']: d.ok ?? json(ref('Any')) };
  for (const code of d.errors ?? ['400', '404']) responses[code] = ERR;
  const description = [d.auth ? `需要登录：${d.auth}。` : '', d.csrf ? '需要 X-CSRF-Token 请求头（先调用 GET /api/v1/auth/csrf）。' : '', d.notes ?? ''].join('');
  return {
    tags: [d.tag], summary: d.summary, ...(description ? { description } : {}),
    ...(d.params ? { parameters: d.params } : {}),
    ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: d.body } } } } : {}),
    responses,
  };
}

const BOARD_FILTERS = [
  query('q', '搜索词（中文分词，全部词须匹配；只写机构名或别名如 工行、微信、Alipay 时列出该机构的案例，与其他词同用时该机构的案例排在前面；花呗、零钱通等产品词按文字匹配；也可输入投诉编号 TS20261122-000123）'), query('provider', '机构标识'), query('category', '问题类型'),
  query('status', '处理状态（只接受公开的状态）'), query('from', '提交日期起（含）YYYY-MM-DD', { type: 'string', format: 'date' }),
  query('to', '提交日期止（含）YYYY-MM-DD', { type: 'string', format: 'date' }), query('amountMin', '最低涉诉金额（分）', { type: 'integer', minimum: 0 }),
  query('amountMax', '最高涉诉金额（分）', { type: 'integer', minimum: 0 }), query('sort', '排序：relevance（默认，有搜索词时）或 newest', { type: 'string', enum: ['relevance', 'newest'] }),
];
const PAGING = [query('page', '页码，从 1 开始', { type: 'integer', minimum: 1 }), query('pageSize', '每页条数 1-100，默认 20', { type: 'integer', minimum: 1, maximum: 100 })];
const CSRF = { csrf: true, errors: ['400', '403', '404'] };

const EXPORT_NOTES = '不带任何筛选条件时返回后台生成的全部案例文件（同 /downloads/cases.csv 与 /downloads/cases.jsonl；生成完成前 503 并带 Retry-After）。'
  + '带筛选条件时流式生成，最多 EXPORT_MAX_ROWS 行（默认 50000；有搜索词时另受搜索结果窗口 10000 条限制），按提交日期从新到旧（有搜索词时按相关度）：'
  + 'X-Export-Limit 为上限，X-Export-Truncated 为 true 表示匹配的案例多于上限、文件只含前 X-Export-Limit 条，未截断时 X-Total-Count 为匹配总数。'
  + '同一客户端同时只能进行一个带筛选的导出，第二个返回 429。';
const DOWNLOAD_NOTES = '案例公开、更新或撤下后，至多每 EXPORT_REBUILD_MS（默认 5 分钟）重新生成一次。支持 ETag/If-None-Match（304）、Last-Modified 与 Range（206）。'
  + 'X-Total-Count 为文件中的案例数，X-Export-Built-At 为生成时间。文件生成完成前 503 并带 Retry-After。';
const header = (description: string, type = 'string') => ({ description, schema: { type } });
const exportOk = (type: string) => ({
  description: '导出文件', content: { [type]: { schema: { type: 'string' } } },
  headers: { 'X-Export-Limit': header('本次导出的行数上限', 'integer'), 'X-Export-Truncated': header('是否因上限截断', 'boolean'), 'X-Total-Count': header('匹配的案例总数（未截断时）', 'integer') },
});
const downloadOk = (type: string) => ({
  description: '全部案例文件', content: { [type]: { schema: { type: 'string' } } },
  headers: { ETag: header('文件版本'), 'Last-Modified': header('生成时间'), 'X-Total-Count': header('文件中的案例数', 'integer'), 'X-Export-Built-At': header('生成时间（ISO 8601）') },
});

const PATHS: Record<string, Record<string, Json>> = {
  '/api/v1/auth/csrf': { get: op({ tag: '账户', summary: '取得 CSRF 令牌（并设置与之绑定的 Cookie）', ok: json({ type: 'object', properties: { token: { type: 'string' } } }), errors: [] }) },
  '/api/v1/auth/me': { get: op({ tag: '账户', summary: '当前登录的用户（未登录为 null）', errors: [] }) },
  '/api/v1/auth/register': { post: op({ tag: '账户', summary: '注册消费者账户并登录', status: '201', body: { type: 'object', required: ['email', 'password', 'displayName'], properties: { email: { type: 'string' }, password: { type: 'string' }, displayName: { type: 'string' }, realName: { type: 'string' } } }, ...CSRF }) },
  '/api/v1/auth/login': { post: op({ tag: '账户', summary: '登录', body: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } }, csrf: true, errors: ['400', '401', '403'] }) },
  '/api/v1/auth/logout': { post: op({ tag: '账户', summary: '退出登录', status: '204', ok: { description: '已退出' }, csrf: true, errors: ['403'] }) },

  '/api/v1/providers': { get: op({ tag: '机构', summary: '机构名录', ok: json({ type: 'object', properties: { items: { type: 'array', items: ref('Provider') } } }), errors: [] }) },
  '/api/v1/providers/suggest': { get: op({ tag: '机构', summary: '按别名、拼音、首字母与相近写法推荐已收录机构（支付保 → 支付宝）',
    notes: '只推荐已收录的机构；消费者填写的新名称在平台审核前不会出现。', params: [{ ...query('q', '消费者输入的机构名称（最多 40 字）'), required: true }],
    ok: json({ type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' },
      matchedBy: { type: 'string', enum: ['name', 'alias', 'pinyin', 'initials', 'spelling'] } } } } } }), errors: ['400'] }) },
  '/api/v1/admin/providers/pending': { get: op({ tag: '管理', summary: '待审核的机构名称（名称中的个人信息已隐去）', auth: '管理员', errors: ['404'] }) },
  '/api/v1/admin/providers/{slug}/verify': { post: op({ tag: '管理', summary: '核实并收录待审核的机构名称（需联系方式来源与核实日期）', auth: '管理员', params: [SLUG],
    body: { type: 'object', required: ['contactSource'], properties: { contactSource: { type: 'string' }, hotline: { type: 'string' }, lastVerifiedAt: { type: 'string', format: 'date' }, name: { type: 'string' }, slug: { type: 'string' } } },
    ...CSRF, errors: ['400', '403', '404', '409'] }) },
  '/api/v1/admin/providers/{slug}/merge': { post: op({ tag: '管理', summary: '把待审核的名称合并到已收录机构（名称成为别名，投诉与统计随之转移）', auth: '管理员', params: [SLUG],
    body: { type: 'object', required: ['into'], properties: { into: { type: 'string' } } }, ...CSRF, errors: ['400', '403', '404', '409'] }) },
  '/api/v1/admin/providers/{slug}/reject': { post: op({ tag: '管理', summary: '驳回待审核的名称（永不公开，投诉仍由平台处理）', auth: '管理员', params: [SLUG],
    body: { type: 'object', properties: { reason: { type: 'string' } } }, ...CSRF, errors: ['400', '403', '404', '409'] }) },
  '/api/v1/providers/{slug}': { get: op({ tag: '机构', summary: '一个机构', params: [SLUG], ok: json(ref('Provider')), errors: ['404'] }) },
  '/api/v1/providers/{slug}/scorecard': { get: op({ tag: '机构', summary: '机构评分卡（含 12 个月趋势与各项定义）', params: [SLUG], ok: json(ref('Scorecard')), errors: ['404'] }) },
  '/api/v1/admin/providers': { post: op({ tag: '管理', summary: '新增机构', auth: '管理员', status: '201', body: ref('Any'), ok: json(ref('Provider')), ...CSRF }) },
  '/api/v1/admin/providers/{slug}': { patch: op({ tag: '管理', summary: '修改机构（联系方式需注明来源）', auth: '管理员', params: [SLUG], body: ref('Any'), ok: json(ref('Provider')), ...CSRF }) },
  '/api/v1/admin/providers/{slug}/staff': { post: op({ tag: '管理', summary: '为机构创建商家账户', auth: '管理员', params: [SLUG], status: '201', body: ref('Any'), ...CSRF }) },

  '/api/v1/complaints': { post: op({ tag: '投诉', summary: '提交投诉（JSON，或 multipart 附带 attachments 文件）', auth: '消费者', status: '201', body: ref('ComplaintInput'), ...CSRF }) },
  '/api/v1/complaints/{id}': {
    get: op({ tag: '投诉', summary: '投诉详情（消费者本人、该机构商家、管理员可见；其他人 404）', auth: '是', params: [ID], errors: ['401', '404'] }),
    patch: op({ tag: '投诉', summary: '修改审核中或被退回的投诉（被退回的修改后重新提交）', auth: '消费者', params: [ID], body: ref('Any'), csrf: true, errors: ['400', '403', '404', '409'] }),
  },
  '/api/v1/complaints/{id}/events': { post: op({ tag: '投诉', summary: '处理事件（审核、回复、确认、撤诉、撤下公开等）；当前状态不允许时 409', auth: '按事件类型', params: [ID], body: ref('EventInput'), csrf: true, errors: ['400', '403', '404', '409'] }) },
  '/api/v1/me/complaints': { get: op({ tag: '投诉', summary: '我的投诉', auth: '消费者', errors: ['401', '404'] }) },
  '/api/v1/merchant/complaints': { get: op({ tag: '商家', summary: '本机构的投诉：分标签（待处理默认，按最近时限排序），编号或标题词查找，游标翻页；答复含 counts、nextCursor、prevCursor', auth: '商家', params: [
    query('tab', '标签：todo 待处理（默认）、overdue 已超时、consumer 等待消费者、closed 已结束、all 全部', { type: 'string', enum: ['todo', 'overdue', 'consumer', 'closed', 'all'] }),
    query('q', '投诉编号（精确）或标题中的词语（全部须出现）；不指定标签时查全部'), query('cursor', '翻页游标：上一答复的 nextCursor 或 prevCursor'),
    query('status', '状态'), query('overdue', '只看超时（1）或未超时（0）'), query('limit', '每页条数 1-100，默认 50', { type: 'integer', minimum: 1, maximum: 100 })], errors: ['400', '401', '404'] }) },
  '/api/v1/admin/queue': { get: op({ tag: '管理', summary: '待审核的投诉（审核队列，最早提交的在前）', auth: '管理员', errors: ['401', '404'] }) },
  '/api/v1/admin/deliveries': { get: op({ tag: '管理', summary: '转交记录与死信列表', auth: '管理员', params: [query('status', 'pending / sending / done / dead')], errors: ['400', '401', '404'] }) },
  '/api/v1/admin/deliveries/{id}': { get: op({ tag: '管理', summary: '一条转交及其每次尝试', auth: '管理员', params: [ID], errors: ['401', '404'] }) },
  '/api/v1/admin/deliveries/{id}/retry': { post: op({ tag: '管理', summary: '重试死信中的转交', auth: '管理员', params: [ID], csrf: true, errors: ['403', '404', '409'] }) },
  '/api/v1/admin/calls': { get: op({ tag: '管理', summary: '客服电话转交任务队列', auth: '管理员', errors: ['401', '404'] }) },
  '/api/v1/admin/calls/{id}/outcome': { post: op({ tag: '管理', summary: '记录电话转交结果', auth: '管理员', params: [ID], body: ref('Any'), ...CSRF }) },
  '/api/v1/admin/cases/{id}/publication': {
    get: op({ tag: '公开案例', summary: '一个案例的公开状态与公开内容', auth: '管理员', params: [ID], errors: ['401', '404'] }),
    post: op({ tag: '公开案例', summary: '撤下（unpublish，需 reason）、重新公开（republish）或修改公开文本（public_edit，field + text）；均记入时间线', auth: '管理员', params: [ID], body: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['unpublish', 'republish', 'public_edit'] }, reason: { type: 'string' }, field: { type: 'string', description: 'title、description 或 event:<事件编号>' }, text: { type: 'string' } } }, ok: json(ref('Publication')), csrf: true, errors: ['400', '403', '404', '409'] }),
  },

  '/api/v1/cases': { get: op({ tag: '公开案例', summary: '搜索与浏览公开案例（含分类计数）', params: [...BOARD_FILTERS, ...PAGING], ok: json(ref('CaseList')), errors: ['400'] }) },
  '/api/v1/cases/{id}': { get: op({ tag: '公开案例', summary: '一个公开案例（匿名化）及其公开时间线', params: [ID], ok: json(ref('PublicCase')), errors: ['404'] }) },
  '/api/v1/cases/{id}/similar': { get: op({ tag: '公开案例', summary: '与该案例相似的公开案例及处理结果统计', params: [ID], ok: json(ref('Similar')), errors: ['404'] }) },
  '/api/v1/cases.csv': { get: op({ tag: '开放数据', summary: 'CSV 导出（与列表相同的筛选条件；UTF-8 带 BOM）', notes: EXPORT_NOTES, params: BOARD_FILTERS, ok: exportOk('text/csv'), errors: ['400', '429', '503'] }) },
  '/api/v1/cases.jsonl': { get: op({ tag: '开放数据', summary: 'JSON Lines 导出（每行一个公开案例，与 GET /api/v1/cases/{id} 相同；筛选条件同上）', notes: EXPORT_NOTES, params: BOARD_FILTERS, ok: exportOk('application/x-ndjson'), errors: ['400', '429', '503'] }) },
  '/downloads/cases.csv': { get: op({ tag: '开放数据', summary: '全部公开案例 CSV 文件（后台定时生成）', notes: DOWNLOAD_NOTES, ok: downloadOk('text/csv'), errors: ['503'] }) },
  '/downloads/cases.jsonl': { get: op({ tag: '开放数据', summary: '全部公开案例 JSON Lines 文件（后台定时生成）', notes: DOWNLOAD_NOTES, ok: downloadOk('application/x-ndjson'), errors: ['503'] }) },
  '/api/v1/similar': { post: op({ tag: '公开案例', summary: '为填写中的投诉找相似的公开案例（附处理结果统计）', body: { type: 'object', properties: { provider: { type: 'string', description: '机构标识、名称或别名' }, category: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' } } }, ok: json(ref('Similar')), csrf: true, errors: ['400', '403'] }) },
  '/api/v1/preview': { post: op({ tag: '公开案例', summary: '提交前预览匿名化后的公开文本', body: { type: 'object', required: ['title', 'description'], properties: { title: { type: 'string' }, description: { type: 'string' } } }, ok: json(ref('Preview')), csrf: true, errors: ['400', '403'] }) },
  '/api/v1/openapi.json': { get: op({ tag: '开放数据', summary: '本 OpenAPI 描述', errors: [] }) },
  '/api/v1/test/clock': { post: op({ tag: '运维', summary: '推进测试时钟（仅 TEST_CLOCK=1 时存在）', body: { type: 'object', required: ['advanceMs'], properties: { advanceMs: { type: 'integer', minimum: 0 } } }, csrf: true, errors: ['400', '403'] }) },
};

export function openApiDocument(publicUrl: string): Json {
  return {
    openapi: '3.0.3',
    info: {
      title: '钱包投诉台 API', version: '1.0.0',
      description: '数字钱包投诉平台的 JSON 接口。错误统一为 {"error":{"code","message","field"}}；无权访问或不存在的资源一律 404；当前状态不允许的操作为 409。公开案例均已匿名化，日期只精确到日。',
    },
    servers: [{ url: publicUrl }],
    paths: PATHS,
    components: { schemas: SCHEMAS, responses: { Error: json(ref('Error'), '错误') } },
  };
}

/** Paths in the fastify form (/api/v1/cases/:id) with their methods, for the coverage test and the docs page. */
export function documentedRoutes(): { method: string; url: string }[] {
  return Object.entries(PATHS).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), url: p.replace(/\{(\w+)\}/g, ':$1') })));
}
