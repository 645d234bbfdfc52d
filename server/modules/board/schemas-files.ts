// The open-data files in the OpenAPI document: their media type, the headers that say how complete they are, and the
// rules a downloader needs (limits, rebuilds, caching). The body is the file itself.
import { Type } from '../../lib/schema.ts';

export const EXPORT_NOTES =
  '不带任何筛选条件时返回后台生成的全部案例文件（同 /downloads/cases.csv 与 /downloads/cases.jsonl；生成完成前 503 并带 Retry-After）。' +
  '带筛选条件时流式生成，最多 EXPORT_MAX_ROWS 行（默认 50000；有搜索词时另受搜索结果窗口 10000 条限制），按提交日期从新到旧（有搜索词时按相关度）：' +
  'X-Export-Limit 为上限，X-Export-Truncated 为 true 表示匹配的案例多于上限、文件只含前 X-Export-Limit 条，未截断时 X-Total-Count 为匹配总数。' +
  '同一客户端同时只能进行一个带筛选的导出，第二个返回 429。page 与 pageSize 只做检查，导出总是从第一条开始。';
export const DOWNLOAD_NOTES =
  '案例公开、更新或撤下后，至多每 EXPORT_REBUILD_MS（默认 5 分钟）重新生成一次。支持 ETag/If-None-Match（304）、Last-Modified 与 Range（206）。' +
  'X-Total-Count 为文件中的案例数，X-Export-Built-At 为生成时间。文件生成完成前 503 并带 Retry-After。';

const header = (description: string, type: 'string' | 'integer' | 'boolean' = 'string') => ({ type, description });
const file = (type: string) => ({
  [type]: {
    schema: Type.String({
      description: type.startsWith('text/csv') ? 'UTF-8（带 BOM）的 CSV，首行为列名' : '每行一个公开案例（JSON）',
    }),
  },
});

/** A response keyed by media type (fastify and @fastify/swagger both read `content`), with its headers. */
export const exportOk = (type: string) =>
  Type.Unsafe<string>({
    description: '导出文件',
    content: file(type.split(';')[0]),
    headers: {
      'X-Export-Limit': header('本次导出的行数上限', 'integer'),
      'X-Export-Truncated': header('是否因上限截断', 'boolean'),
      'X-Total-Count': header('匹配的案例总数（未截断时）', 'integer'),
    },
  });

export const downloadOk = (type: string) =>
  Type.Unsafe<string>({
    description: '全部案例文件',
    content: file(type.split(';')[0]),
    headers: {
      ETag: header('文件版本'),
      'Last-Modified': header('生成时间'),
      'X-Total-Count': header('文件中的案例数', 'integer'),
      'X-Export-Built-At': header('生成时间（ISO 8601）'),
    },
  });
