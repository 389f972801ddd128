import { Flex, Grid, Modal, Typography } from '@strapi/design-system';
import type { McpApi } from '../../api';
import { CodeBlock } from '../../components/CodeBlock';
import { DateTime } from '../../components/DateTime';
import { DecisionBadge } from '../../components/DecisionBadge';
import { useApiData } from '../../hooks/useApiData';
import { useTranslate } from '../../translations';
import * as React from 'react';

const Detail = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Grid.Item col={6} s={12} direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    {typeof children === 'string' || typeof children === 'number' ? (
      <Typography textColor="neutral800">{children}</Typography>
    ) : (
      children
    )}
  </Grid.Item>
);

const JsonSection = ({ label, value }: { label: string; value: unknown }) =>
  value === null || value === undefined ? null : (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <CodeBlock label={label}>{JSON.stringify(value, null, 2)}</CodeBlock>
    </Flex>
  );

/** The full audit row: what was asked (redacted arguments), what the policy applied, what changed, why refused. */
export const AuditEntryModal = ({ api, entryId, onClose }: { api: McpApi; entryId: number; onClose: () => void }) => {
  const t = useTranslate();
  const loadEntry = React.useCallback(() => api.getAuditEntry(entryId), [api, entryId]);
  const { data: entry, error } = useApiData(loadEntry);
  const dash = '—';

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('common.close', 'Close')}>
          <Modal.Title>{t('audit.entry.title', 'Audit entry #{id}', { id: entryId })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {error ? (
            <Typography textColor="danger600">{t('audit.entry.error', 'This entry could not be loaded.')}</Typography>
          ) : !entry ? (
            <Typography textColor="neutral600">{t('common.loading', 'Loading…')}</Typography>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Grid.Root gap={4}>
                <Detail label={t('audit.occurredAt', 'Time')}>
                  <DateTime value={entry.occurredAt} />
                </Detail>
                <Detail label={t('audit.decision', 'Decision')}>
                  <DecisionBadge decision={entry.decision} />
                </Detail>
                <Detail label={t('audit.user', 'User')}>{entry.adminUserEmail ?? dash}</Detail>
                <Detail label={t('audit.role', 'Role and tenant')}>
                  {[entry.role, entry.tenant].filter(Boolean).join(' · ') || dash}
                </Detail>
                <Detail label={t('audit.tool', 'Tool')}>
                  {[entry.tool, entry.action].filter(Boolean).join(' · ') || dash}
                </Detail>
                <Detail label={t('audit.contentType', 'Content type')}>
                  {[entry.contentType, entry.documentId].filter(Boolean).join(' · ') || dash}
                </Detail>
                <Detail label={t('audit.credential', 'Credential')}>{entry.credential ?? dash}</Detail>
                <Detail label={t('audit.duration', 'Duration')}>
                  {entry.durationMs === null ? dash : t('unit.ms', '{value} ms', { value: entry.durationMs })}
                </Detail>
                <Detail label={t('audit.session', 'Session and protocol')}>
                  {[entry.sessionId, entry.protocolVersion].filter(Boolean).join(' · ') || dash}
                </Detail>
                <Detail label={t('audit.client', 'IP and user agent')}>
                  {[entry.ip, entry.userAgent].filter(Boolean).join(' · ') || dash}
                </Detail>
              </Grid.Root>
              {entry.reason ? (
                <Flex direction="column" alignItems="stretch" gap={1}>
                  <Typography variant="sigma" textColor="neutral600">
                    {entry.decision === 'denied' || entry.decision === 'error'
                      ? t('audit.reason', 'Refusal reason')
                      : t('audit.summary', 'Summary')}
                  </Typography>
                  <Typography
                    textColor={entry.decision === 'denied' || entry.decision === 'error' ? 'danger600' : 'neutral800'}
                  >
                    {entry.reason}
                  </Typography>
                </Flex>
              ) : null}
              <JsonSection label={t('audit.arguments', 'Arguments (redacted)')} value={entry.arguments} />
              <JsonSection label={t('audit.appliedFilters', 'Applied filters')} value={entry.appliedFilters} />
              <JsonSection label={t('audit.diff', 'Changes')} value={entry.diff} />
            </Flex>
          )}
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
};
