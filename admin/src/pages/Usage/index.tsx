import * as React from 'react';
import { Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useMcpApi, type UsageWindow } from '../../api';
import { useApiData } from '../../hooks/useApiData';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';
import { CredentialUsageTable, ToolUsageList, UserUsageTable } from './UsageTables';

const Usage = () => {
  const t = useTranslate();
  const api = useMcpApi();
  const [usageWindow, setUsageWindow] = React.useState<UsageWindow>('24h');
  const loadUsage = React.useCallback(() => api.getUsage(usageWindow), [api, usageWindow]);
  const { data, error, isLoading } = useApiData(loadUsage);

  if (error) return <Page.Error />;

  return (
    <>
      <Layouts.Header
        title={t('usage.title', 'Usage')}
        subtitle={t('usage.subtitle', 'Who calls the MCP server, with which credential, and which tools')}
        primaryAction={
          <SingleSelect
            aria-label={t('usage.window', 'Time window')}
            value={usageWindow}
            onChange={(value) => setUsageWindow(value as UsageWindow)}
            size="S"
          >
            <SingleSelectOption value="24h">{t('usage.window.24h', 'Last 24 hours')}</SingleSelectOption>
            <SingleSelectOption value="7d">{t('usage.window.7d', 'Last 7 days')}</SingleSelectOption>
          </SingleSelect>
        }
      />
      <Layouts.Content>
        {isLoading || !data ? (
          <Page.Loading />
        ) : (
          <Flex direction="column" alignItems="stretch" gap={6}>
            <UserUsageTable users={data.users} />
            <CredentialUsageTable credentials={data.credentials} />
            <ToolUsageList tools={data.tools} />
          </Flex>
        )}
      </Layouts.Content>
    </>
  );
};

export const UsagePage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="readAudit" title={t('usage.pageTitle', 'MCP Server - Usage')}>
      <Usage />
    </ProtectedPage>
  );
};
