import * as React from 'react';
import {
  Button,
  Checkbox,
  Flex,
  IconButton,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';
import { omitKey, toggleItem, type PolicyEditorProps } from './policyEditing';

export const ALL_ACTIONS = '*';

/** Roles as rows, actions as columns; the "all" column stands for `*`. */
export const RolesMatrix = ({ policy, onChange, disabled, actions }: PolicyEditorProps & { actions: string[] }) => {
  const t = useTranslate();
  const [newRole, setNewRole] = React.useState('');
  const roles = Object.keys(policy.roles);
  // Strapi roles map onto these (admin tokens, roleSource: strapi): removing one would leave them without a role.
  const mappedRoles = new Set(Object.values(policy.strapiRoles ?? {}));
  const columns = [ALL_ACTIONS, ...actions];
  const columnLabel = (action: string) => (action === ALL_ACTIONS ? t('policy.roles.all', 'all') : action);

  const setRoleActions = (role: string, roleActions: string[]) =>
    onChange((current) => ({ ...current, roles: { ...current.roles, [role]: roleActions } }));

  const addRole = () => {
    const role = newRole.trim();
    if (!role || Object.hasOwn(policy.roles, role)) return;
    setRoleActions(role, []);
    setNewRole('');
  };

  return (
    <Section
      title={t('policy.roles.title', 'Roles and their actions')}
      description={t('policy.roles.description', 'What each policy role may do on every exposed content type.')}
    >
      <Table colCount={columns.length + 2} rowCount={roles.length + 1}>
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">{t('policy.roles.role', 'Role')}</Typography>
            </Th>
            {columns.map((action) => (
              <Th key={action}>
                <Typography variant="sigma">{columnLabel(action)}</Typography>
              </Th>
            ))}
            <Th>
              <Typography variant="sigma">{t('common.actions', 'Actions')}</Typography>
            </Th>
          </Tr>
        </Thead>
        <Tbody>
          {roles.map((role) => {
            const granted = policy.roles[role];
            const hasAll = granted.includes(ALL_ACTIONS);
            return (
              <Tr key={role}>
                <Td>
                  <Typography fontWeight="semiBold">{role}</Typography>
                </Td>
                {columns.map((action) => (
                  <Td key={action}>
                    <Checkbox
                      aria-label={t('policy.roles.cell', '{role} may {action}', { role, action: columnLabel(action) })}
                      disabled={disabled || (hasAll && action !== ALL_ACTIONS)}
                      checked={granted.includes(action) || (hasAll && action !== ALL_ACTIONS)}
                      onCheckedChange={(checked) =>
                        setRoleActions(
                          role,
                          action === ALL_ACTIONS && checked
                            ? [ALL_ACTIONS]
                            : toggleItem(granted, action, checked === true),
                        )
                      }
                    />
                  </Td>
                ))}
                <Td>
                  <IconButton
                    label={
                      mappedRoles.has(role)
                        ? t(
                            'policy.roles.remove.mapped',
                            '{role} is the policy role of a Strapi role (strapiRoles in the configuration): it cannot be removed here',
                            { role },
                          )
                        : t('policy.roles.remove', 'Remove role {role}', { role })
                    }
                    variant="ghost"
                    disabled={disabled || mappedRoles.has(role)}
                    onClick={() => onChange((current) => ({ ...current, roles: omitKey(current.roles, role) }))}
                  >
                    <Trash />
                  </IconButton>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      <Flex gap={2} alignItems="flex-end">
        <TextInput
          aria-label={t('policy.roles.new', 'New role name')}
          placeholder={t('policy.roles.new', 'New role name')}
          value={newRole}
          disabled={disabled}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => setNewRole(event.target.value)}
          onKeyDown={(event: React.KeyboardEvent<HTMLInputElement>) => {
            if (event.key === 'Enter') addRole();
          }}
        />
        <Button variant="secondary" startIcon={<Plus />} disabled={disabled || !newRole.trim()} onClick={addRole}>
          {t('policy.roles.add', 'Add role')}
        </Button>
      </Flex>
    </Section>
  );
};
