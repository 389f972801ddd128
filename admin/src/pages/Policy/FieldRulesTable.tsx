import { Badge, Checkbox, Flex, Table, Tbody, Td, TextButton, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { ContentTypePolicy, FieldRule, SchemaAttribute } from '../../api';
import { useTranslate } from '../../translations';
import { omitKey, toggleItem } from './policyEditing';

interface FieldRulesTableProps {
  attributes: SchemaAttribute[];
  roles: string[];
  fields: ContentTypePolicy['fields'];
  onChange: (fields: ContentTypePolicy['fields']) => void;
  disabled: boolean;
}

/**
 * Attribute rows × role columns. A field without a rule follows the type (every role that may act on the type
 * reads and writes it); "Restrict" gives it a rule listing every role, from which roles are then unticked.
 */
export const FieldRulesTable = ({ attributes, roles, fields, onChange, disabled }: FieldRulesTableProps) => {
  const t = useTranslate();

  const setRule = (field: string, rule: FieldRule | undefined) =>
    onChange(rule ? { ...fields, [field]: rule } : omitKey(fields, field));

  return (
    <Table colCount={roles.length + 1} rowCount={attributes.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('policy.fields.field', 'Field')}</Typography>
          </Th>
          {roles.map((role) => (
            <Th key={role}>
              <Typography variant="sigma">{role}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {attributes.map((attribute) => {
          const rule = fields[attribute.name];
          return (
            <Tr key={attribute.name}>
              <Td>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography fontWeight="semiBold">{attribute.name}</Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {attribute.type}
                  </Typography>
                  {rule ? (
                    <TextButton disabled={disabled} onClick={() => setRule(attribute.name, undefined)}>
                      {t('policy.fields.clear', 'Follow the type')}
                    </TextButton>
                  ) : (
                    <Flex gap={2}>
                      <Badge>{t('policy.fields.followsType', 'Follows the type')}</Badge>
                      <TextButton
                        disabled={disabled}
                        onClick={() => setRule(attribute.name, { read: [...roles], write: [...roles] })}
                      >
                        {t('policy.fields.restrict', 'Restrict')}
                      </TextButton>
                    </Flex>
                  )}
                </Flex>
              </Td>
              {roles.map((role) => (
                <Td key={role}>
                  {rule ? (
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      {(['read', 'write'] as const).map((access) => (
                        <Checkbox
                          key={access}
                          aria-label={t('policy.fields.cell', '{role} may {access} {field}', {
                            role,
                            access,
                            field: attribute.name,
                          })}
                          disabled={disabled}
                          checked={(rule[access] ?? roles).includes(role)}
                          onCheckedChange={(checked) =>
                            setRule(attribute.name, {
                              ...rule,
                              [access]: toggleItem(rule[access] ?? roles, role, checked === true),
                            })
                          }
                        >
                          {access === 'read'
                            ? t('policy.fields.readable', 'readable')
                            : t('policy.fields.writable', 'writable')}
                        </Checkbox>
                      ))}
                    </Flex>
                  ) : (
                    <Typography variant="pi" textColor="neutral500">
                      {t('policy.fields.inherited', 'as the type')}
                    </Typography>
                  )}
                </Td>
              ))}
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
