import { Button } from '@strapi/design-system';
import { Duplicate } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useTranslate } from '../translations';

interface CopyButtonProps {
  text: string;
  /** The accessible name, e.g. "Copy the Cursor configuration". */
  label: string;
}

/** Copies `text` to the clipboard and says so in a notification. */
export const CopyButton = ({ text, label }: CopyButtonProps) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toggleNotification({ type: 'success', message: t('copy.done', 'Copied to the clipboard') });
    } catch {
      toggleNotification({ type: 'danger', message: t('copy.failed', 'The clipboard is not available here') });
    }
  };

  return (
    <Button variant="tertiary" size="S" startIcon={<Duplicate />} onClick={copy} aria-label={label}>
      {t('copy.button', 'Copy')}
    </Button>
  );
};
