import * as React from 'react';
import {
  Badge,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowClockwise, Cross } from '@strapi/icons';
import { ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useMcpApi, type McpSession } from '../../api';
import { DateTime } from '../../components/DateTime';
import { useApiData } from '../../hooks/useApiData';
import { useNotifyError } from '../../hooks/useNotifyError';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';

const Sessions = () => {
  const t = useTranslate();
  const api = useMcpApi();
  const notifyError = useNotifyError();
  const { toggleNotification } = useNotification();
  const { data, error, isLoading, reload } = useApiData(api.getSessions);
  const [userToEnd, setUserToEnd] = React.useState<Pick<McpSession, 'adminUserId' | 'email'> | null>(null);

  if (isLoading && !data) return <Page.Loading />;
  if (error || !data) return <Page.Error />;

  const notifyEnded = (ended: number) =>
    toggleNotification({
      type: 'success',
      message: t('sessions.ended', '{ended, plural, one {# session ended} other {# sessions ended}}', { ended }),
    });

  const endSession = async (session: McpSession) => {
    try {
      notifyEnded((await api.endSession(session.id)).ended);
    } catch (caught) {
      notifyError(caught);
    }
    await reload();
  };

  const endUserSessions = async () => {
    if (!userToEnd) return;
    try {
      notifyEnded((await api.endUserSessions(userToEnd.adminUserId)).ended);
    } catch (caught) {
      notifyError(caught);
    }
    setUserToEnd(null);
    await reload();
  };

  const headers = [
    t('sessions.user', 'User'),
    t('sessions.client', 'Client'),
    t('sessions.protocol', 'Protocol'),
    t('sessions.credential', 'Credential'),
    t('sessions.opened', 'Opened'),
    t('sessions.lastActivity', 'Last activity'),
    t('sessions.calls', 'Calls'),
    t('sessions.busy', 'State'),
  ];

  return (
    <>
      <Layouts.Header
        title={t('sessions.title', 'Sessions')}
        subtitle={t('sessions.subtitle', '{open} open of {max} at most, {maxPerUser} per user', {
          open: data.sessions.length,
          max: data.max,
          maxPerUser: data.maxPerUser,
        })}
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload} loading={isLoading}>
            {t('common.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        {data.sessions.length === 0 ? (
          <EmptyStateLayout
            content={t(
              'sessions.empty',
              'No open session. Sessions exist for clients speaking a 2025 protocol version; 2026-07-28 requests are stateless.',
            )}
          />
        ) : (
          <Table colCount={headers.length + 1} rowCount={data.sessions.length + 1}>
            <Thead>
              <Tr>
                {headers.map((header) => (
                  <Th key={header}>
                    <Typography variant="sigma" textColor="neutral600">
                      {header}
                    </Typography>
                  </Th>
                ))}
                <Th>
                  <VisuallyHidden>{t('common.actions', 'Actions')}</VisuallyHidden>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.sessions.map((session) => (
                <Tr key={session.id}>
                  <Td>
                    <Typography textColor="neutral800">{session.email}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">
                      {session.clientName
                        ? [session.clientName, session.clientVersion].filter(Boolean).join(' ')
                        : t('sessions.client.unknown', 'Unknown')}
                    </Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{session.protocolVersion}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{session.credential}</Typography>
                  </Td>
                  <Td>
                    <DateTime value={session.openedAt} />
                  </Td>
                  <Td>
                    <DateTime value={session.lastActivityAt} />
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{session.calls}</Typography>
                  </Td>
                  <Td>
                    {session.busy ? (
                      <Badge variant="warning">{t('sessions.busy.yes', 'Busy')}</Badge>
                    ) : (
                      <Badge>{t('sessions.busy.no', 'Idle')}</Badge>
                    )}
                  </Td>
                  <Td>
                    <Flex gap={2} justifyContent="flex-end">
                      <Button variant="danger-light" size="S" startIcon={<Cross />} onClick={() => endSession(session)}>
                        {t('sessions.end', 'End session')}
                      </Button>
                      <Button
                        variant="tertiary"
                        size="S"
                        onClick={() => setUserToEnd(session)}
                        aria-label={t('sessions.endAll.label', 'End all sessions of {email}', { email: session.email })}
                      >
                        {t('sessions.endAll', 'End all of this user')}
                      </Button>
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
      <Dialog.Root open={userToEnd !== null} onOpenChange={(open) => !open && setUserToEnd(null)}>
        <ConfirmDialog onConfirm={endUserSessions} title={t('sessions.endAll.title', 'End sessions')}>
          {t('sessions.endAll.confirm', 'End every open MCP session of {email}? Their clients must initialize again.', {
            email: userToEnd?.email ?? '',
          })}
        </ConfirmDialog>
      </Dialog.Root>
    </>
  );
};

export const SessionsPage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="manageSessions" title={t('sessions.pageTitle', 'MCP Server - Sessions')}>
      <Sessions />
    </ProtectedPage>
  );
};
