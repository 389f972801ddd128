import {
  Accordion,
  Badge,
  Checkbox,
  Field,
  Flex,
  Radio,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import type { ContentTypePolicy, ContentTypeSchema } from '../../api';
import { useTranslate } from '../../translations';
import { ConditionsEditor } from './ConditionsEditor';
import { FieldRulesTable } from './FieldRulesTable';
import { omitKey, toggleItem } from './policyEditing';

interface ContentTypeEditorProps {
  schema: ContentTypeSchema;
  typePolicy: ContentTypePolicy;
  roles: string[];
  actions: string[];
  onChange: (typePolicy: ContentTypePolicy) => void;
  disabled: boolean;
}

type TenantMode = 'default' | 'field' | 'shared';

const tenantModeOf = (tenantField: ContentTypePolicy['tenantField']): TenantMode =>
  tenantField === undefined ? 'default' : tenantField === false ? 'shared' : 'field';

/** The policy of one exposed type: per-role action overrides, field rules, tenant field and conditions. */
export const ContentTypeEditor = ({
  schema,
  typePolicy,
  roles,
  actions,
  onChange,
  disabled,
}: ContentTypeEditorProps) => {
  const t = useTranslate();
  const overrides = typePolicy.actions ?? {};
  const tenantMode = tenantModeOf(typePolicy.tenantField);

  const setOverride = (role: string, roleActions: string[] | undefined) => {
    const next = roleActions ? { ...overrides, [role]: roleActions } : omitKey(overrides, role);
    onChange(Object.keys(next).length ? { ...typePolicy, actions: next } : omitKey(typePolicy, 'actions'));
  };

  const setTenantMode = (mode: TenantMode) => {
    if (mode === 'default') onChange(omitKey(typePolicy, 'tenantField'));
    else if (mode === 'shared') onChange({ ...typePolicy, tenantField: false });
    else
      onChange({
        ...typePolicy,
        tenantField: typeof typePolicy.tenantField === 'string' ? typePolicy.tenantField : '',
      });
  };

  return (
    <Accordion.Item value={schema.uid}>
      <Accordion.Header>
        <Accordion.Trigger description={schema.uid}>{schema.displayName}</Accordion.Trigger>
      </Accordion.Header>
      <Accordion.Content>
        <Flex direction="column" alignItems="stretch" gap={6} padding={6}>
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="delta" tag="h3">
              {t('policy.type.actions', 'Actions per role on this type')}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {t('policy.type.actions.hint', 'Without an override a role keeps its global actions.')}
            </Typography>
            <Table colCount={actions.length + 2} rowCount={roles.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('policy.roles.role', 'Role')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('policy.type.override', 'Override')}</Typography>
                  </Th>
                  {actions.map((action) => (
                    <Th key={action}>
                      <Typography variant="sigma">{action}</Typography>
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {roles.map((role) => {
                  const override = overrides[role];
                  return (
                    <Tr key={role}>
                      <Td>
                        <Typography fontWeight="semiBold">{role}</Typography>
                      </Td>
                      <Td>
                        <Checkbox
                          aria-label={t('policy.type.override.label', 'Override the actions of {role} on {type}', {
                            role,
                            type: schema.displayName,
                          })}
                          disabled={disabled}
                          checked={override !== undefined}
                          onCheckedChange={(checked) => setOverride(role, checked === true ? [] : undefined)}
                        />
                      </Td>
                      {actions.map((action) => (
                        <Td key={action}>
                          {override ? (
                            <Checkbox
                              aria-label={t('policy.type.cell', '{role} may {action} on {type}', {
                                role,
                                action,
                                type: schema.displayName,
                              })}
                              disabled={disabled}
                              checked={override.includes(action) || override.includes('*')}
                              onCheckedChange={(checked) =>
                                setOverride(role, toggleItem(override, action, checked === true))
                              }
                            />
                          ) : (
                            <Typography variant="pi" textColor="neutral400">
                              —
                            </Typography>
                          )}
                        </Td>
                      ))}
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
          </Flex>

          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="delta" tag="h3">
              {t('policy.type.fields', 'Field rules')}
            </Typography>
            <FieldRulesTable
              attributes={schema.attributes}
              roles={roles}
              fields={typePolicy.fields}
              disabled={disabled}
              onChange={(fields) => onChange({ ...typePolicy, fields })}
            />
          </Flex>

          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="delta" tag="h3">
              {t('policy.type.tenant', 'Tenant')}
            </Typography>
            <Radio.Group
              aria-label={t('policy.type.tenant.label', 'Tenant of {type}', { type: schema.displayName })}
              value={tenantMode}
              disabled={disabled}
              onValueChange={(mode: string) => setTenantMode(mode as TenantMode)}
            >
              <Radio.Item value="default">{t('policy.type.tenant.default', 'The global tenant field')}</Radio.Item>
              <Radio.Item value="field">{t('policy.type.tenant.field', 'A field of its own')}</Radio.Item>
              <Radio.Item value="shared">{t('policy.type.tenant.shared', 'Shared by all tenants')}</Radio.Item>
            </Radio.Group>
            {tenantMode === 'field' ? (
              <Field.Root>
                <Field.Label>{t('policy.type.tenant.fieldName', 'Tenant field')}</Field.Label>
                <TextInput
                  value={typeof typePolicy.tenantField === 'string' ? typePolicy.tenantField : ''}
                  disabled={disabled}
                  onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                    onChange({ ...typePolicy, tenantField: event.target.value })
                  }
                />
              </Field.Root>
            ) : null}
          </Flex>

          <Flex direction="column" alignItems="stretch" gap={2}>
            <Flex gap={2}>
              <Typography variant="delta" tag="h3">
                {t('policy.type.conditions', 'Conditions')}
              </Typography>
              <Badge>{typePolicy.conditions.length}</Badge>
            </Flex>
            <ConditionsEditor
              conditions={typePolicy.conditions}
              roles={roles}
              disabled={disabled}
              onChange={(conditions) => onChange({ ...typePolicy, conditions })}
            />
          </Flex>
        </Flex>
      </Accordion.Content>
    </Accordion.Item>
  );
};
