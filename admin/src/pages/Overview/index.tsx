import * as React from 'react';
import { Badge, Flex, Grid, Switch, Typography } from '@strapi/design-system';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useMcpApi } from '../../api';
import { InlineCode } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { DateTime } from '../../components/DateTime';
import { Section } from '../../components/Section';
import { useApiData } from '../../hooks/useApiData';
import { useCanUpdateSettings } from '../../hooks/useCanUpdateSettings';
import { useNotifyError } from '../../hooks/useNotifyError';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';
import { ConnectionSnippets } from './ConnectionSnippets';
import { CredentialsPanel, HealthPanel, LastDayPanel } from './StatusPanels';

const Overview = () => {
  const t = useTranslate();
  const api = useMcpApi();
  const notifyError = useNotifyError();
  const { toggleNotification } = useNotification();
  const { canUpdateSettings } = useCanUpdateSettings();
  const { data: overview, error, isLoading, setData } = useApiData(api.getOverview);
  const [isSwitching, setIsSwitching] = React.useState(false);

  if (isLoading && !overview) return <Page.Loading />;
  if (error || !overview) return <Page.Error />;

  const switchEnabled = async (enabled: boolean) => {
    setIsSwitching(true);
    try {
      setData(await api.setEnabled(enabled));
      toggleNotification({
        type: 'success',
        message: enabled
          ? t('overview.enabled.on', 'The MCP server is enabled.')
          : t('overview.enabled.off', 'The MCP server is disabled: the endpoint answers 503.'),
      });
    } catch (caught) {
      notifyError(caught);
    } finally {
      setIsSwitching(false);
    }
  };

  return (
    <>
      <Layouts.Header
        title={t('overview.title', 'MCP Server')}
        subtitle={t('overview.subtitle', 'The Model Context Protocol endpoint of this Strapi instance')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('overview.status', 'Status')}>
            <Flex gap={4} wrap="wrap">
              <Switch
                aria-label={t('overview.enabled.label', 'MCP server enabled')}
                checked={overview.enabled}
                onCheckedChange={switchEnabled}
                disabled={!canUpdateSettings || isSwitching}
                onLabel={t('common.enabled', 'Enabled')}
                offLabel={t('common.disabled', 'Disabled')}
                visibleLabels
              />
              {overview.readOnly ? (
                <Badge variant="warning">{t('overview.readOnly', 'Read-only')}</Badge>
              ) : (
                <Badge variant="success">{t('overview.readWrite', 'Read and write')}</Badge>
              )}
            </Flex>
            {overview.enabledChange ? (
              <Flex gap={1}>
                <Typography variant="pi" textColor="neutral600">
                  {t('overview.enabledChange', 'Last switched by {by}', { by: overview.enabledChange.by })}
                </Typography>
                <DateTime value={overview.enabledChange.at} />
              </Flex>
            ) : null}
            <Flex gap={2} alignItems="center" wrap="wrap">
              <Typography fontWeight="semiBold">{t('overview.endpoint', 'Endpoint')}</Typography>
              <InlineCode>{overview.endpoint.url}</InlineCode>
              <CopyButton text={overview.endpoint.url} label={t('overview.endpoint.copy', 'Copy the endpoint URL')} />
            </Flex>
          </Section>
          <LastDayPanel last24h={overview.last24h} />
          <Grid.Root gap={6}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <CredentialsPanel overview={overview} />
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <HealthPanel overview={overview} />
            </Grid.Item>
          </Grid.Root>
          <ConnectionSnippets overview={overview} />
        </Flex>
      </Layouts.Content>
    </>
  );
};

export const OverviewPage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="readOverview" title={t('overview.pageTitle', 'MCP Server - Overview')}>
      <Overview />
    </ProtectedPage>
  );
};
