import * as React from 'react';
import { Button, EmptyStateLayout, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight, Download } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useMcpApi, type AuditQuery, type AuditRow } from '../../api';
import { Section } from '../../components/Section';
import { useApiData } from '../../hooks/useApiData';
import { useNotifyError } from '../../hooks/useNotifyError';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';
import { AuditEntryModal } from './AuditEntryModal';
import { AuditFilters, NO_FILTERS, type AuditFilterValues } from './AuditFilters';
import { AuditTable } from './AuditTable';

const PAGE_SIZES = [10, 25, 50, 100];

/** The query filters of the form: empty ones dropped, local date-times sent as ISO. */
const toQueryFilters = (filters: AuditFilterValues): Partial<AuditQuery> => ({
  user: filters.user.trim() || undefined,
  tool: filters.tool || undefined,
  contentType: filters.contentType || undefined,
  decision: filters.decision || undefined,
  from: filters.from ? new Date(filters.from).toISOString() : undefined,
  to: filters.to ? new Date(filters.to).toISOString() : undefined,
});

const saveFile = (blob: Blob, fileName: string) => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
};

const AuditLog = () => {
  const t = useTranslate();
  const api = useMcpApi();
  const notifyError = useNotifyError();
  const { toggleNotification } = useNotification();
  const [filters, setFilters] = React.useState<AuditFilterValues>(NO_FILTERS);
  const [query, setQuery] = React.useState<Pick<AuditQuery, 'page' | 'pageSize' | 'sort' | 'order'>>({
    page: 1,
    pageSize: 25,
    sort: 'occurredAt',
    order: 'desc',
  });
  const [openEntryId, setOpenEntryId] = React.useState<number | null>(null);
  const [isExporting, setIsExporting] = React.useState(false);

  const loadPage = React.useCallback(
    () => api.getAuditPage({ ...query, ...toQueryFilters(filters) }),
    [api, query, filters],
  );
  const { data, error, isLoading } = useApiData(loadPage);
  const { data: filterOptions } = useApiData(api.getAuditFilterOptions);

  const exportCsv = async () => {
    setIsExporting(true);
    try {
      const csv = await api.exportAudit({ sort: query.sort, order: query.order, ...toQueryFilters(filters) });
      saveFile(csv.blob, csv.fileName);
      if (csv.truncated) {
        toggleNotification({
          type: 'warning',
          message: t('audit.export.truncated', 'Only the first {limit} matching rows were exported.', {
            limit: csv.limit ?? 10000,
          }),
        });
      }
    } catch (caught) {
      notifyError(caught);
    } finally {
      setIsExporting(false);
    }
  };

  if (error) return <Page.Error />;

  const pagination = data?.pagination;

  return (
    <>
      <Layouts.Header
        title={t('audit.title', 'Audit log')}
        subtitle={t('audit.subtitle', 'Every MCP call, allowed or refused')}
        primaryAction={
          <Button startIcon={<Download />} onClick={exportCsv} loading={isExporting} variant="secondary">
            {t('audit.export', 'Export CSV')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('audit.filters.title', 'Filters')}>
            <AuditFilters
              options={filterOptions}
              applied={filters}
              onApply={(applied) => {
                setFilters(applied);
                setQuery((current) => ({ ...current, page: 1 }));
              }}
            />
          </Section>
          {!data ? (
            <Page.Loading />
          ) : data.results.length === 0 ? (
            <EmptyStateLayout content={t('audit.empty', 'No audit entry matches these filters.')} />
          ) : (
            <AuditTable
              rows={data.results}
              sort={query}
              onSort={(sort) => setQuery((current) => ({ ...current, ...sort, page: 1 }))}
              onOpen={(row: AuditRow) => setOpenEntryId(row.id)}
            />
          )}
          {pagination ? (
            <Flex justifyContent="space-between" alignItems="center" aria-busy={isLoading}>
              <Flex gap={2}>
                <SingleSelect
                  aria-label={t('audit.pageSize', 'Entries per page')}
                  size="S"
                  value={query.pageSize}
                  onChange={(pageSize) => setQuery((current) => ({ ...current, pageSize: Number(pageSize), page: 1 }))}
                >
                  {PAGE_SIZES.map((size) => (
                    <SingleSelectOption key={size} value={size}>
                      {String(size)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Typography variant="pi" textColor="neutral600">
                  {t('audit.total', '{total, plural, one {# entry} other {# entries}}', { total: pagination.total })}
                </Typography>
              </Flex>
              <Flex gap={2}>
                <Button
                  variant="tertiary"
                  size="S"
                  startIcon={<ChevronLeft />}
                  disabled={pagination.page <= 1}
                  onClick={() => setQuery((current) => ({ ...current, page: current.page - 1 }))}
                >
                  {t('audit.previous', 'Previous page')}
                </Button>
                <Typography variant="pi" textColor="neutral600">
                  {t('audit.pageOf', 'Page {page} of {pageCount}', {
                    page: pagination.page,
                    pageCount: Math.max(1, pagination.pageCount),
                  })}
                </Typography>
                <Button
                  variant="tertiary"
                  size="S"
                  endIcon={<ChevronRight />}
                  disabled={pagination.page >= pagination.pageCount}
                  onClick={() => setQuery((current) => ({ ...current, page: current.page + 1 }))}
                >
                  {t('audit.next', 'Next page')}
                </Button>
              </Flex>
            </Flex>
          ) : null}
        </Flex>
      </Layouts.Content>
      {openEntryId !== null ? (
        <AuditEntryModal api={api} entryId={openEntryId} onClose={() => setOpenEntryId(null)} />
      ) : null}
    </>
  );
};

export const AuditLogPage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="readAudit" title={t('audit.pageTitle', 'MCP Server - Audit log')}>
      <AuditLog />
    </ProtectedPage>
  );
};
