import {
  Checkbox,
  Field,
  Flex,
  Grid,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Toggle,
  Typography,
} from '@strapi/design-system';
import type { PolicySettings } from '../../api';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';
import { toggleItem, type PolicyEditorProps } from './policyEditing';

/** The limits in words (docs/configuration.md explains each). */
const LIMIT_LABELS: Record<string, string> = {
  defaultPageSize: 'Default page size',
  maxPageSize: 'Largest page size',
  maxPopulateDepth: 'Deepest populate',
  maxPopulatedEntries: 'Entries shown per populated relation',
  maxFilterDepth: 'Deepest filter',
  maxResponseBytes: 'Largest response (bytes)',
  maxPatternLength: 'Longest text pattern',
  maxPatternTerms: 'Text patterns per call',
  maxFilterTerms: 'Filter conditions per call',
  maxFilterBytes: 'Filter text per call (bytes)',
  readTimeoutMs: 'Read time budget (ms)',
  maxToolCallsPerRequest: 'Tool calls per request',
  maxConcurrentCallsPerUser: 'Calls running at once per user',
  maxConcurrentCallsPerTenant: 'Calls running at once per tenant',
  maxTextLength: 'Longest text written (characters)',
  maxJsonBytes: 'Largest JSON written (bytes)',
  listCacheTtlMs: 'List cache lifetime for clients (ms)',
};

export const GlobalSettings = ({
  policy,
  onChange,
  disabled,
  hardLimits,
}: PolicyEditorProps & { hardLimits: PolicySettings['hardLimits'] }) => {
  const t = useTranslate();
  const roles = Object.keys(policy.roles);
  const limits = policy.limits ?? {};
  const limitKeys = Array.from(new Set([...Object.keys(hardLimits.limits), ...Object.keys(limits)]));
  const limitLabel = (key: string) =>
    Object.hasOwn(LIMIT_LABELS, key) ? t(`policy.limits.${key}`, LIMIT_LABELS[key]) : key;

  return (
    <Section title={t('policy.global.title', 'Tenancy, writes and limits')}>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            hint={t('policy.global.tenantField.hint', 'The attribute holding the tenant on every type that has it.')}
          >
            <Field.Label>{t('policy.global.tenantField', 'Tenant field')}</Field.Label>
            <TextInput
              value={policy.tenantField ?? ''}
              disabled={disabled}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                onChange((current) => ({ ...current, tenantField: event.target.value }))
              }
            />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            hint={t('policy.global.onForbiddenField.hint', 'When a write carries a field the caller may not write.')}
          >
            <Field.Label>{t('policy.global.onForbiddenField', 'Forbidden fields in a write')}</Field.Label>
            <SingleSelect
              value={policy.onForbiddenField ?? 'reject'}
              disabled={disabled}
              onChange={(value) =>
                onChange((current) => ({ ...current, onForbiddenField: value as 'reject' | 'strip' }))
              }
            >
              <SingleSelectOption value="reject">{t('policy.global.reject', 'Refuse the call')}</SingleSelectOption>
              <SingleSelectOption value="strip">{t('policy.global.strip', 'Drop the field')}</SingleSelectOption>
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="pi" fontWeight="bold">
            {t('policy.global.crossTenantRoles', 'Roles that see every tenant')}
          </Typography>
          <Flex gap={3} wrap="wrap">
            {roles.map((role) => (
              <Checkbox
                key={role}
                disabled={disabled}
                checked={(policy.crossTenantRoles ?? []).includes(role)}
                onCheckedChange={(checked) =>
                  onChange((current) => ({
                    ...current,
                    crossTenantRoles: toggleItem(current.crossTenantRoles ?? [], role, checked === true),
                  }))
                }
              >
                {role}
              </Checkbox>
            ))}
          </Flex>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            hint={
              hardLimits.readOnly
                ? t('policy.global.readOnly.forced', 'The configuration file makes the server read-only.')
                : t('policy.global.readOnly.hint', 'No tool that writes is offered.')
            }
          >
            <Field.Label>{t('policy.global.readOnly', 'Read-only')}</Field.Label>
            <Toggle
              onLabel={t('common.on', 'On')}
              offLabel={t('common.off', 'Off')}
              checked={hardLimits.readOnly || Boolean(policy.readOnly)}
              disabled={disabled || hardLimits.readOnly}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                onChange((current) => ({ ...current, readOnly: event.target.checked }))
              }
            />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
      <Typography variant="delta" tag="h3">
        {t('policy.limits.title', 'Limits')}
      </Typography>
      <Grid.Root gap={4}>
        {limitKeys.map((key) => {
          const hardLimit = hardLimits.limits[key];
          return (
            <Grid.Item key={key} col={4} s={6} xs={12} direction="column" alignItems="stretch">
              <Field.Root
                hint={
                  hardLimit === undefined
                    ? undefined
                    : t('policy.limits.hint', 'At most {max} (configuration file)', { max: hardLimit })
                }
              >
                <Field.Label>{limitLabel(key)}</Field.Label>
                <NumberInput
                  value={limits[key]}
                  min={0}
                  max={hardLimit}
                  disabled={disabled}
                  onValueChange={(value) =>
                    onChange((current) => {
                      const next = { ...(current.limits ?? {}) };
                      if (value === undefined) delete next[key];
                      else next[key] = value;
                      return { ...current, limits: next };
                    })
                  }
                />
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
          );
        })}
      </Grid.Root>
    </Section>
  );
};
