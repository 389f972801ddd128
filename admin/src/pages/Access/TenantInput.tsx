import * as React from 'react';
import { TextInput } from '@strapi/design-system';

interface TenantInputProps {
  value: string | null;
  label: string;
  disabled: boolean;
  onSave: (tenant: string | null) => Promise<void>;
}

/** Edits a user's tenant locally and saves it on blur or Enter; an empty field means no tenant. */
export const TenantInput = ({ value, label, disabled, onSave }: TenantInputProps) => {
  const [draft, setDraft] = React.useState(value ?? '');
  React.useEffect(() => setDraft(value ?? ''), [value]);

  const save = async () => {
    const tenant = draft.trim() || null;
    if (tenant !== value) await onSave(tenant);
  };

  return (
    <TextInput
      aria-label={label}
      size="S"
      value={draft}
      disabled={disabled}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) => setDraft(event.target.value)}
      onBlur={save}
      onKeyDown={(event: React.KeyboardEvent<HTMLInputElement>) => {
        if (event.key === 'Enter') void save();
        if (event.key === 'Escape') setDraft(value ?? '');
      }}
    />
  );
};
