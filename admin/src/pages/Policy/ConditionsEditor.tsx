import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import type { ConditionAction, ConditionOperator, PolicyCondition } from '../../api';
import { useTranslate } from '../../translations';
import { omitKey, toggleItem } from './policyEditing';

const CONDITION_ACTIONS: ConditionAction[] = ['create', 'update', 'delete', 'publish'];
const OPERATORS: ConditionOperator[] = ['equals', 'notEquals', 'in', 'notIn'];

type Scalar = string | number | boolean | null;

/** A typed value: `true`, `12`, `null` and `"quoted"` are read as JSON, anything else stays text. */
const parseScalar = (text: string): Scalar => {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Scalar;
  } catch {
    // plain text
  }
  return text;
};

const formatScalar = (value: Scalar): string => (typeof value === 'string' ? value : JSON.stringify(value));

const operatorOf = (condition: PolicyCondition): ConditionOperator =>
  OPERATORS.find((operator) => condition[operator] !== undefined) ?? 'equals';

const operandText = (condition: PolicyCondition): string => {
  const operand = condition[operatorOf(condition)];
  if (operand === undefined) return '';
  return Array.isArray(operand) ? operand.map(formatScalar).join(', ') : formatScalar(operand);
};

/** The condition with its one operator set to `operator`, the value read from `text` (a comma list for in / notIn). */
const withOperand = (condition: PolicyCondition, operator: ConditionOperator, text: string): PolicyCondition => {
  const cleared = OPERATORS.reduce<PolicyCondition>((result, key) => omitKey(result, key), condition);
  const list = operator === 'in' || operator === 'notIn';
  return {
    ...cleared,
    [operator]: list
      ? text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
          .map(parseScalar)
      : parseScalar(text),
  };
};

const RoleList = ({
  label,
  roles,
  selected,
  disabled,
  onChange,
}: {
  label: string;
  roles: string[];
  selected: string[] | undefined;
  disabled: boolean;
  onChange: (selected: string[] | undefined) => void;
}) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="pi" fontWeight="bold">
      {label}
    </Typography>
    <Flex gap={3} wrap="wrap">
      {roles.map((role) => (
        <Checkbox
          key={role}
          disabled={disabled}
          checked={selected?.includes(role) ?? false}
          onCheckedChange={(checked) => {
            const next = toggleItem(selected ?? [], role, checked === true);
            onChange(next.length ? next : undefined);
          }}
        >
          {role}
        </Checkbox>
      ))}
    </Flex>
  </Flex>
);

interface ConditionsEditorProps {
  conditions: PolicyCondition[];
  roles: string[];
  onChange: (conditions: PolicyCondition[]) => void;
  disabled: boolean;
}

export const ConditionsEditor = ({ conditions, roles, onChange, disabled }: ConditionsEditorProps) => {
  const t = useTranslate();
  const setCondition = (index: number, condition: PolicyCondition) =>
    onChange(conditions.map((current, position) => (position === index ? condition : current)));
  const setOptional = <K extends 'roles' | 'exceptRoles' | 'message'>(
    index: number,
    key: K,
    value: PolicyCondition[K] | undefined,
  ) => {
    const condition = conditions[index];
    setCondition(
      index,
      value === undefined ? (omitKey(condition, key) as PolicyCondition) : { ...condition, [key]: value },
    );
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {conditions.map((condition, index) => {
        const operator = operatorOf(condition);
        return (
          <Box key={index} padding={4} hasRadius borderColor="neutral200">
            <Grid.Root gap={3}>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root>
                  <Field.Label>{t('policy.conditions.name', 'Name')}</Field.Label>
                  <TextInput
                    value={condition.name}
                    disabled={disabled}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setCondition(index, { ...condition, name: event.target.value })
                    }
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root>
                  <Field.Label>{t('policy.conditions.field', 'Field')}</Field.Label>
                  <TextInput
                    value={condition.field}
                    disabled={disabled}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setCondition(index, { ...condition, field: event.target.value })
                    }
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root>
                  <Field.Label>{t('policy.conditions.on', 'Checked on')}</Field.Label>
                  <SingleSelect
                    value={condition.on}
                    disabled={disabled}
                    onChange={(on) => setCondition(index, { ...condition, on: on as PolicyCondition['on'] })}
                  >
                    <SingleSelectOption value="data">
                      {t('policy.conditions.on.data', 'Incoming data')}
                    </SingleSelectOption>
                    <SingleSelectOption value="stored">
                      {t('policy.conditions.on.stored', 'Stored document')}
                    </SingleSelectOption>
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root>
                  <Field.Label>{t('policy.conditions.operator', 'Operator')}</Field.Label>
                  <SingleSelect
                    value={operator}
                    disabled={disabled}
                    onChange={(next) =>
                      setCondition(index, withOperand(condition, next as ConditionOperator, operandText(condition)))
                    }
                  >
                    {OPERATORS.map((option) => (
                      <SingleSelectOption key={option} value={option}>
                        {option}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
                <Field.Root
                  hint={t('policy.conditions.value.hint', 'true, 12, null are typed; in and notIn take a comma list.')}
                >
                  <Field.Label>{t('policy.conditions.value', 'Value')}</Field.Label>
                  <TextInput
                    value={operandText(condition)}
                    disabled={disabled}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setCondition(index, withOperand(condition, operator, event.target.value))
                    }
                  />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={12} direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="pi" fontWeight="bold">
                  {t('policy.conditions.actions', 'Actions')}
                </Typography>
                <Flex gap={3}>
                  {CONDITION_ACTIONS.map((action) => (
                    <Checkbox
                      key={action}
                      disabled={disabled}
                      checked={condition.actions.includes(action)}
                      onCheckedChange={(checked) =>
                        setCondition(index, {
                          ...condition,
                          actions: toggleItem(condition.actions, action, checked === true),
                        })
                      }
                    >
                      {action}
                    </Checkbox>
                  ))}
                </Flex>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <RoleList
                  label={t('policy.conditions.roles', 'Only for roles')}
                  roles={roles}
                  selected={condition.roles}
                  disabled={disabled}
                  onChange={(selected) => setOptional(index, 'roles', selected)}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <RoleList
                  label={t('policy.conditions.exceptRoles', 'Except for roles')}
                  roles={roles}
                  selected={condition.exceptRoles}
                  disabled={disabled}
                  onChange={(selected) => setOptional(index, 'exceptRoles', selected)}
                />
              </Grid.Item>
              <Grid.Item col={10} s={12} direction="column" alignItems="stretch">
                <Field.Root>
                  <Field.Label>{t('policy.conditions.message', 'Refusal message')}</Field.Label>
                  <TextInput
                    value={condition.message ?? ''}
                    disabled={disabled}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setOptional(index, 'message', event.target.value || undefined)
                    }
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={2} s={12} justifyContent="flex-end" alignItems="flex-end">
                <IconButton
                  label={t('policy.conditions.remove', 'Remove condition {name}', { name: condition.name })}
                  variant="danger-light"
                  disabled={disabled}
                  onClick={() => onChange(conditions.filter((_, position) => position !== index))}
                >
                  <Trash />
                </IconButton>
              </Grid.Item>
            </Grid.Root>
          </Box>
        );
      })}
      <Box>
        <Button
          variant="secondary"
          startIcon={<Plus />}
          disabled={disabled}
          onClick={() =>
            onChange([...conditions, { name: '', actions: ['update'], on: 'stored', field: '', equals: true }])
          }
        >
          {t('policy.conditions.add', 'Add condition')}
        </Button>
      </Box>
    </Flex>
  );
};
