import * as React from 'react';
import {
  Badge,
  Flex,
  Link,
  SingleSelect,
  SingleSelectOption,
  Switch,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import { useMcpApi, type AccessChange, type AccessUser } from '../../api';
import { DateTime } from '../../components/DateTime';
import { DecisionBadge } from '../../components/DecisionBadge';
import { Section } from '../../components/Section';
import { useApiData } from '../../hooks/useApiData';
import { useNotifyError } from '../../hooks/useNotifyError';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';
import { TenantInput } from './TenantInput';

/** The select's value for "no role set here": the token acts under the role its owner's Strapi roles map to. */
const FROM_STRAPI_ROLES = '__from-strapi-roles__';

const Access = () => {
  const t = useTranslate();
  const api = useMcpApi();
  const notifyError = useNotifyError();
  const { data, error, isLoading, setData } = useApiData(api.getAccess);
  const [savingUserId, setSavingUserId] = React.useState<number | null>(null);

  if (isLoading && !data) return <Page.Loading />;
  if (error || !data) return <Page.Error />;

  const update = async (user: AccessUser, change: AccessChange): Promise<boolean> => {
    setSavingUserId(user.id);
    try {
      const updated = await api.updateAccess(user.id, change);
      setData(
        (current) =>
          current && { ...current, users: current.users.map((row) => (row.id === updated.id ? updated : row)) },
      );
      return true;
    } catch (caught) {
      notifyError(caught);
      return false;
    } finally {
      setSavingUserId(null);
    }
  };

  const headers = [
    t('access.user', 'User'),
    t('access.strapiRoles', 'Strapi roles'),
    t('access.mcp', 'MCP access'),
    t('access.adminTokenRole', 'Admin token role'),
    t('access.tenant', 'Admin token tenant'),
    t('access.lastActivity', 'Last MCP activity'),
  ];

  return (
    <>
      <Layouts.Header
        title={t('access.title', 'Access')}
        subtitle={t('access.subtitle', 'Who may reach the MCP server, and as what when using a Strapi admin token')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('access.tokens.title', 'Strapi admin tokens')}>
            <Typography textColor="neutral700">
              {data.adminTokensEnabled
                ? t(
                    'access.tokens.enabled',
                    "An admin token acts as its owner: switching a user's MCP access off refuses their tokens too. What the MCP tools may do is further limited by the token's own permissions: its Content Manager read, create, update, delete and publish permissions on each content type, and its Media Library permissions.",
                  )
                : t('access.tokens.disabled', 'The MCP server does not accept Strapi admin tokens (configuration).')}
            </Typography>
            <Link tag={NavLink} to="/settings/admin-tokens">
              {t('access.tokens.link', 'Manage admin tokens in Settings')}
            </Link>
          </Section>
          <Table colCount={headers.length} rowCount={data.users.length + 1}>
            <Thead>
              <Tr>
                {headers.map((header) => (
                  <Th key={header}>
                    <Typography variant="sigma" textColor="neutral600">
                      {header}
                    </Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {data.users.map((user) => {
                const isSaving = savingUserId === user.id;
                return (
                  <Tr key={user.id}>
                    <Td>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography fontWeight="semiBold" textColor="neutral800">
                          {user.name}
                        </Typography>
                        <Typography variant="pi" textColor="neutral600">
                          {user.email}
                        </Typography>
                        {!user.isActive || user.blocked ? (
                          <Badge variant="danger">
                            {user.blocked ? t('access.blocked', 'Blocked') : t('access.inactive', 'Inactive')}
                          </Badge>
                        ) : null}
                      </Flex>
                    </Td>
                    <Td>
                      <Typography textColor="neutral800">{user.strapiRoles.join(', ')}</Typography>
                    </Td>
                    <Td>
                      <Switch
                        aria-label={t('access.mcp.label', 'MCP access for {email}', { email: user.email })}
                        checked={user.mcpEnabled}
                        disabled={isSaving}
                        onCheckedChange={(mcpEnabled) => update(user, { mcpEnabled })}
                        onLabel={t('common.enabled', 'Enabled')}
                        offLabel={t('common.disabled', 'Disabled')}
                        visibleLabels
                      />
                    </Td>
                    <Td>
                      <Flex direction="column" alignItems="stretch" gap={1}>
                        <SingleSelect
                          aria-label={t('access.adminTokenRole.label', 'Admin token role for {email}', {
                            email: user.email,
                          })}
                          size="S"
                          disabled={isSaving || !data.adminTokensEnabled}
                          value={user.adminTokenRole ?? FROM_STRAPI_ROLES}
                          onChange={(value) =>
                            update(user, { adminTokenRole: value === FROM_STRAPI_ROLES ? null : String(value) })
                          }
                        >
                          <SingleSelectOption value={FROM_STRAPI_ROLES}>
                            {t('access.adminTokenRole.fromStrapi', 'From Strapi roles')}
                          </SingleSelectOption>
                          {data.policyRoles.map((role) => (
                            <SingleSelectOption key={role} value={role}>
                              {role}
                            </SingleSelectOption>
                          ))}
                        </SingleSelect>
                        <Typography variant="pi" textColor="neutral600">
                          {user.effectiveAdminTokenRole
                            ? t('access.effectiveRole', 'Acts as {role}', { role: user.effectiveAdminTokenRole })
                            : t('access.effectiveRole.none', 'No policy role: refused')}
                        </Typography>
                      </Flex>
                    </Td>
                    <Td>
                      <TenantInput
                        label={t('access.tenant.label', 'Tenant for {email}', { email: user.email })}
                        value={user.tenant}
                        disabled={!data.adminTokensEnabled}
                        onSave={(tenant) => update(user, { tenant })}
                      />
                    </Td>
                    <Td>
                      {user.lastActivity ? (
                        <Flex direction="column" alignItems="flex-start" gap={1}>
                          <DateTime value={user.lastActivity.at} />
                          <Flex gap={2}>
                            <Typography variant="pi" textColor="neutral600">
                              {user.lastActivity.tool}
                            </Typography>
                            <DecisionBadge decision={user.lastActivity.decision} />
                          </Flex>
                        </Flex>
                      ) : (
                        <Typography textColor="neutral500">{t('access.never', 'Never')}</Typography>
                      )}
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
        </Flex>
      </Layouts.Content>
    </>
  );
};

export const AccessPage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="manageAccess" title={t('access.pageTitle', 'MCP Server - Access')}>
      <Access />
    </ProtectedPage>
  );
};
