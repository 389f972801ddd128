import * as React from 'react';
import { Button, Field, Flex, Grid, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import type { AuditFilterOptions } from '../../api';
import { useDecisionLabel } from '../../components/DecisionBadge';
import { useTranslate } from '../../translations';

export interface AuditFilterValues {
  user: string;
  tool: string;
  contentType: string;
  decision: string;
  /** `datetime-local` values (the admin's local time), converted to ISO when the query is sent. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilterValues = { user: '', tool: '', contentType: '', decision: '', from: '', to: '' };

interface AuditFiltersProps {
  options: AuditFilterOptions | undefined;
  applied: AuditFilterValues;
  onApply: (filters: AuditFilterValues) => void;
}

const OptionalSelect = ({
  label,
  value,
  options,
  onChange,
  optionLabel = (option) => option,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
  optionLabel?: (option: string) => string;
}) => {
  const t = useTranslate();
  return (
    <Field.Root>
      <Field.Label>{label}</Field.Label>
      <SingleSelect
        value={value || null}
        onChange={(selected) => onChange(String(selected))}
        onClear={() => onChange('')}
        clearLabel={t('audit.filters.clear', 'Clear')}
        placeholder={t('audit.filters.any', 'Any')}
      >
        {options.map((option) => (
          <SingleSelectOption key={option} value={option}>
            {optionLabel(option)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Field.Root>
  );
};

/** The filter form; edits stay local until "Apply filters". */
export const AuditFilters = ({ options, applied, onApply }: AuditFiltersProps) => {
  const t = useTranslate();
  const decisionLabel = useDecisionLabel();
  const [draft, setDraft] = React.useState(applied);
  const set = (key: keyof AuditFilterValues) => (value: string) =>
    setDraft((current) => ({ ...current, [key]: value }));

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <Grid.Root gap={4}>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root>
            <Field.Label>{t('audit.filters.user', 'User email')}</Field.Label>
            <TextInput
              value={draft.user}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('user')(event.target.value)}
            />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <OptionalSelect
            label={t('audit.filters.tool', 'Tool')}
            value={draft.tool}
            options={options?.tools ?? []}
            onChange={set('tool')}
          />
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <OptionalSelect
            label={t('audit.filters.contentType', 'Content type')}
            value={draft.contentType}
            options={options?.contentTypes ?? []}
            onChange={set('contentType')}
          />
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <OptionalSelect
            label={t('audit.filters.decision', 'Decision')}
            value={draft.decision}
            options={options?.decisions ?? []}
            onChange={set('decision')}
            optionLabel={decisionLabel}
          />
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root>
            <Field.Label>{t('audit.filters.from', 'From')}</Field.Label>
            <TextInput
              type="datetime-local"
              value={draft.from}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('from')(event.target.value)}
            />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root>
            <Field.Label>{t('audit.filters.to', 'To')}</Field.Label>
            <TextInput
              type="datetime-local"
              value={draft.to}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('to')(event.target.value)}
            />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
      <Flex gap={2} paddingTop={4}>
        <Button type="submit">{t('audit.filters.apply', 'Apply filters')}</Button>
        <Button
          variant="tertiary"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          {t('audit.filters.reset', 'Clear filters')}
        </Button>
      </Flex>
    </form>
  );
};
