/**
 * Every call the admin panel makes to the plugin's admin routes (see the server ⇄ admin contract), with the shapes
 * of what they answer under `data`. Pages call these functions and never build URLs themselves.
 */
import * as React from 'react';
import { useFetchClient, type FetchClient } from '@strapi/strapi/admin';

export type Decision = 'allowed' | 'denied' | 'error' | 'dry-run';
export type KeySource = 'jwksUri' | 'jwks' | 'publicKey' | 'secret';

/* ---------------------------------------------------------------- Overview */

export interface HourlyBucket {
  hour: string;
  calls: number;
  denied: number;
  errors: number;
  p95Ms: number | null;
}

export interface Overview {
  enabled: boolean;
  enabledChange: { by: string; at: string } | null;
  endpoint: { url: string; path: string };
  internalSecret: { required: boolean; requiredForAdminTokens: boolean; header: string };
  credentials: {
    jwt: {
      issuers: string[];
      audience: string[];
      keySource: KeySource;
      jwksUri: string | null;
    } | null;
    adminTokens: { enabled: boolean };
    oauth: { authorizationServers: string[] };
  };
  protocolVersions: string[];
  sessions: { open: number; max: number };
  readOnly: boolean;
  last24h: {
    calls: number;
    allowed: number;
    denied: number;
    errors: number;
    dryRun: number;
    p50Ms: number | null;
    p95Ms: number | null;
    hourly: HourlyBucket[];
  };
  keys: { source: KeySource | null; reachable: boolean | null; lastRefreshAt: string | null; error: string | null };
  redis: { configured: boolean; status: 'ready' | 'connecting' | 'down' | null };
}

/* ------------------------------------------------------------------ Policy */

export interface FieldRule {
  read?: string[];
  write?: string[];
}

export type ConditionAction = 'create' | 'update' | 'delete' | 'publish';
export type ConditionOperator = 'equals' | 'notEquals' | 'in' | 'notIn';
type Scalar = string | number | boolean | null;

/** A value constraint on the incoming data (`on: 'data'`) or the stored document; exactly one operator is set. */
export interface PolicyCondition {
  name: string;
  actions: ConditionAction[];
  roles?: string[];
  exceptRoles?: string[];
  on: 'data' | 'stored';
  field: string;
  equals?: Scalar;
  notEquals?: Scalar;
  in?: Scalar[];
  notIn?: Scalar[];
  message?: string;
}

export interface ContentTypePolicy {
  actions?: Record<string, string[]>;
  fields: Record<string, FieldRule>;
  conditions: PolicyCondition[];
  tenantField?: string | false;
}

export interface EditablePolicy {
  contentTypes: Record<string, ContentTypePolicy>;
  roles: Record<string, string[]>;
  roleSource?: 'claim' | 'strapi';
  strapiRoles?: Record<string, string>;
  tenantField?: string;
  crossTenantRoles?: string[];
  onForbiddenField?: 'reject' | 'strip';
  readOnly?: boolean;
  limits?: Record<string, number>;
}

export interface SchemaAttribute {
  name: string;
  type: string;
}

export interface ContentTypeSchema {
  uid: string;
  displayName: string;
  kind: 'collectionType' | 'singleType';
  draftAndPublish: boolean;
  localized: boolean;
  attributes: SchemaAttribute[];
}

export interface PolicySettings {
  policy: EditablePolicy;
  baseline: EditablePolicy;
  overridden: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  hardLimits: { limits: Record<string, number>; readOnly: boolean };
  schemas: ContentTypeSchema[];
  strapiRoles: Array<{ code: string; name: string }>;
  actions: string[];
}

export interface PolicyChange {
  /** The setting's path in the policy, e.g. ['contentTypes', 'api::article.article', 'fields', 'title']. */
  path: string[];
  before: unknown;
  after: unknown;
}

/** One offending field of a 400 ValidationError; `path` is relative to the submitted policy. */
export interface PolicyValidationIssue {
  path: Array<string | number>;
  message: string;
}

/* ------------------------------------------------------------------ Access */

export interface AccessUser {
  id: number;
  email: string;
  name: string;
  isActive: boolean;
  blocked: boolean;
  strapiRoles: string[];
  mcpEnabled: boolean;
  adminTokenRole: string | null;
  effectiveAdminTokenRole: string | null;
  tenant: string | null;
  lastActivity: { at: string; tool: string; decision: Decision } | null;
}

export interface AccessList {
  adminTokensEnabled: boolean;
  policyRoles: string[];
  users: AccessUser[];
}

export type AccessChange = Partial<Pick<AccessUser, 'mcpEnabled' | 'adminTokenRole' | 'tenant'>>;

/* ---------------------------------------------------------------- Sessions */

export interface McpSession {
  id: string;
  adminUserId: number;
  email: string;
  clientName: string | null;
  clientVersion: string | null;
  protocolVersion: string;
  credential: string;
  openedAt: string;
  lastActivityAt: string;
  calls: number;
  busy: boolean;
}

export interface SessionList {
  sessions: McpSession[];
  max: number;
  maxPerUser: number;
}

/* --------------------------------------------------------------- Audit log */

export type AuditSortField = 'occurredAt' | 'durationMs' | 'tool' | 'adminUserEmail' | 'decision' | 'contentType';

export interface AuditQuery {
  page: number;
  pageSize: number;
  sort: AuditSortField;
  order: 'asc' | 'desc';
  user?: string;
  tool?: string;
  contentType?: string;
  decision?: string;
  from?: string;
  to?: string;
}

export interface AuditRow {
  id: number;
  occurredAt: string;
  adminUserEmail: string | null;
  role: string | null;
  tenant: string | null;
  credential: string | null;
  tool: string | null;
  action: string | null;
  contentType: string | null;
  documentId: string | null;
  decision: Decision;
  durationMs: number | null;
  reason: string | null;
  count: number | null;
}

export interface AuditEntry extends AuditRow {
  arguments: unknown;
  appliedFilters: unknown;
  diff: unknown;
  sessionId: string | null;
  protocolVersion: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditPage {
  results: AuditRow[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

export interface AuditFilterOptions {
  tools: string[];
  contentTypes: string[];
  decisions: string[];
}

export interface AuditExport {
  blob: Blob;
  fileName: string;
  truncated: boolean;
  limit: number | null;
}

/* ------------------------------------------------------------------- Usage */

export type UsageWindow = '24h' | '7d';

export interface CallCounts {
  calls: number;
  allowed: number;
  denied: number;
  errors: number;
  avgDurationMs: number | null;
  lastUsedAt: string | null;
}

export interface ToolCalls {
  tool: string;
  calls: number;
}

export interface UserUsage extends CallCounts {
  adminUserId: number;
  email: string;
  topTools: ToolCalls[];
}

export interface CredentialUsage extends CallCounts {
  credential: string;
}

export interface Usage {
  window: UsageWindow;
  from: string;
  users: UserUsage[];
  credentials: CredentialUsage[];
  tools: ToolCalls[];
}

/* ------------------------------------------------------------------ Client */

type Data<T> = { data: T };

/** Drops empty filters so the query string only carries what the user set. */
const auditParams = (query: Partial<AuditQuery>): Record<string, string | number> =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as Record<
    string,
    string | number
  >;

const fileNameFrom = (disposition: string | null | undefined): string => {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match ? decodeURIComponent(match[1]) : `mcp-audit-${new Date().toISOString().slice(0, 19)}.csv`;
};

export const createMcpApi = ({ get, put, post, del }: FetchClient) => ({
  getOverview: async () => (await get<Data<Overview>>('/mcp-server/overview')).data.data,
  setEnabled: async (enabled: boolean) => (await put<Data<Overview>>('/mcp-server/enabled', { enabled })).data.data,

  getSettings: async () => (await get<Data<PolicySettings>>('/mcp-server/settings')).data.data,
  previewPolicy: async (policy: EditablePolicy) =>
    (await post<Data<{ changes: PolicyChange[] }>>('/mcp-server/settings/preview', { policy })).data.data,
  savePolicy: async (policy: EditablePolicy) =>
    (await put<Data<PolicySettings>>('/mcp-server/settings', { policy })).data.data,
  resetPolicy: async () => (await post<Data<PolicySettings>>('/mcp-server/settings/reset')).data.data,

  getAccess: async () => (await get<Data<AccessList>>('/mcp-server/access')).data.data,
  updateAccess: async (userId: number, change: AccessChange) =>
    (await put<Data<AccessUser>>(`/mcp-server/access/${userId}`, change)).data.data,

  getSessions: async () => (await get<Data<SessionList>>('/mcp-server/sessions')).data.data,
  endSession: async (sessionId: string) =>
    (await del<Data<{ ended: number }>>(`/mcp-server/sessions/${encodeURIComponent(sessionId)}`)).data.data,
  endUserSessions: async (userId: number) =>
    (await del<Data<{ ended: number }>>(`/mcp-server/users/${userId}/sessions`)).data.data,

  getAuditPage: async (query: AuditQuery) =>
    (await get<Data<AuditPage>>('/mcp-server/audit', { params: auditParams(query) })).data.data,
  getAuditEntry: async (id: number) => (await get<Data<AuditEntry>>(`/mcp-server/audit/${id}`)).data.data,
  getAuditFilterOptions: async () => (await get<Data<AuditFilterOptions>>('/mcp-server/audit/filters')).data.data,
  exportAudit: async (query: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<AuditExport> => {
    const response = await get('/mcp-server/audit/export', { params: auditParams(query), responseType: 'blob' });
    const limit = response.headers?.get('X-MCP-Export-Limit');
    return {
      blob: response.data,
      fileName: fileNameFrom(response.headers?.get('Content-Disposition')),
      truncated: response.headers?.get('X-MCP-Export-Truncated') === 'true',
      limit: limit ? Number(limit) : null,
    };
  },

  getUsage: async (window: UsageWindow) =>
    (await get<Data<Usage>>('/mcp-server/usage', { params: { window } })).data.data,
});

export type McpApi = ReturnType<typeof createMcpApi>;

/** The plugin's API bound to the admin's fetch client (which adds the admin JWT and aborts on unmount). */
export const useMcpApi = (): McpApi => {
  const client = useFetchClient();
  return React.useMemo(() => createMcpApi(client), [client]);
};
