import { Box, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { CallCounts, CredentialUsage, ToolCalls, UserUsage } from '../../api';
import { DateTime } from '../../components/DateTime';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';

const HeaderCell = ({ children }: { children: string }) => (
  <Th>
    <Typography variant="sigma" textColor="neutral600">
      {children}
    </Typography>
  </Th>
);

const TextCell = ({ children }: { children: React.ReactNode }) => (
  <Td>
    <Typography textColor="neutral800">{children}</Typography>
  </Td>
);

const useCountHeaders = () => {
  const t = useTranslate();
  return [
    t('usage.calls', 'Calls'),
    t('usage.allowed', 'Allowed'),
    t('usage.denied', 'Denied'),
    t('usage.errors', 'Errors'),
    t('usage.avgDuration', 'Average duration'),
    t('usage.lastUsed', 'Last used'),
  ];
};

const CountCells = ({ counts }: { counts: CallCounts }) => {
  const t = useTranslate();
  return (
    <>
      <TextCell>{counts.calls}</TextCell>
      <TextCell>{counts.allowed}</TextCell>
      <TextCell>{counts.denied}</TextCell>
      <TextCell>{counts.errors}</TextCell>
      <TextCell>
        {counts.avgDurationMs === null ? '—' : t('unit.ms', '{value} ms', { value: Math.round(counts.avgDurationMs) })}
      </TextCell>
      <Td>
        <DateTime value={counts.lastUsedAt} />
      </Td>
    </>
  );
};

const Empty = () => {
  const t = useTranslate();
  return <Typography textColor="neutral600">{t('usage.empty', 'No call in this window.')}</Typography>;
};

export const UserUsageTable = ({ users }: { users: UserUsage[] }) => {
  const t = useTranslate();
  const countHeaders = useCountHeaders();
  return (
    <Section title={t('usage.byUser', 'By user')}>
      {users.length === 0 ? (
        <Empty />
      ) : (
        <Table colCount={countHeaders.length + 2} rowCount={users.length + 1}>
          <Thead>
            <Tr>
              <HeaderCell>{t('usage.email', 'Email')}</HeaderCell>
              {countHeaders.map((header) => (
                <HeaderCell key={header}>{header}</HeaderCell>
              ))}
              <HeaderCell>{t('usage.topTools', 'Top tools')}</HeaderCell>
            </Tr>
          </Thead>
          <Tbody>
            {users.map((user) => (
              <Tr key={user.adminUserId}>
                <TextCell>
                  {user.email || t('usage.unknownCaller', 'Unknown caller (refused before authentication)')}
                </TextCell>
                <CountCells counts={user} />
                <TextCell>
                  {user.topTools.map((tool) => t('usage.toolCalls', '{tool} ({calls})', { ...tool })).join(', ')}
                </TextCell>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};

/** `jwt` or `admin-token:<id>`, as the audit log records it, said in words. */
const useCredentialLabel = () => {
  const t = useTranslate();
  return (credential: string) => {
    if (credential === 'jwt') return t('usage.credential.jwt', 'JWT of the identity provider');
    const token = /^admin-token:(\d+)$/.exec(credential);
    if (token) return t('usage.credential.adminToken', 'Strapi admin token #{id}', { id: token[1] });
    if (credential === 'admin-token') return t('usage.credential.unknownAdminToken', 'Unrecognised admin token');
    return t('usage.credential.unknown', 'No credential recognised');
  };
};

export const CredentialUsageTable = ({ credentials }: { credentials: CredentialUsage[] }) => {
  const t = useTranslate();
  const countHeaders = useCountHeaders();
  const labelOf = useCredentialLabel();
  return (
    <Section title={t('usage.byCredential', 'By credential')}>
      {credentials.length === 0 ? (
        <Empty />
      ) : (
        <Table colCount={countHeaders.length + 1} rowCount={credentials.length + 1}>
          <Thead>
            <Tr>
              <HeaderCell>{t('usage.credential', 'Credential')}</HeaderCell>
              {countHeaders.map((header) => (
                <HeaderCell key={header}>{header}</HeaderCell>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {credentials.map((credential) => (
              <Tr key={credential.credential}>
                <TextCell>{labelOf(credential.credential)}</TextCell>
                <CountCells counts={credential} />
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};

export const ToolUsageList = ({ tools }: { tools: ToolCalls[] }) => {
  const t = useTranslate();
  const busiest = Math.max(1, ...tools.map((tool) => tool.calls));
  return (
    <Section title={t('usage.tools', 'Most used tools')}>
      {tools.length === 0 ? (
        <Empty />
      ) : (
        <Flex tag="ol" direction="column" alignItems="stretch" gap={2}>
          {tools.map((tool) => (
            <Flex tag="li" key={tool.tool} gap={3}>
              <Box width="240px">
                <Typography textColor="neutral800">{tool.tool}</Typography>
              </Box>
              <Box flex="1" background="neutral150" hasRadius height="8px">
                <Box background="primary500" hasRadius height="8px" width={`${(tool.calls / busiest) * 100}%`} />
              </Box>
              <Box width="80px">
                <Typography textColor="neutral600">
                  {t('usage.calls.count', '{calls, plural, one {# call} other {# calls}}', { calls: tool.calls })}
                </Typography>
              </Box>
            </Flex>
          ))}
        </Flex>
      )}
    </Section>
  );
};
