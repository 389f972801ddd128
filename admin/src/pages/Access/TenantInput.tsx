import * as React from 'react';
import { TextInput } from '@strapi/design-system';

interface TenantInputProps {
  value: string | null;
  label: string;
  disabled: boolean;
  /** Resolves to whether the change was saved. */
  onSave: (tenant: string | null) => Promise<boolean>;
}

/** Edits a user's tenant locally and saves it on blur or Enter; an empty field means no tenant. */
export const TenantInput = ({ value, label, disabled, onSave }: TenantInputProps) => {
  const [draft, setDraft] = React.useState(value ?? '');
  // Enter saves, and the blur that follows must not save the same value a second time.
  const lastSubmitted = React.useRef(value);
  React.useEffect(() => {
    setDraft(value ?? '');
    lastSubmitted.current = value;
  }, [value]);

  const save = async () => {
    const tenant = draft.trim() || null;
    if (tenant === lastSubmitted.current) return;
    lastSubmitted.current = tenant;
    if (!(await onSave(tenant))) lastSubmitted.current = value;
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
