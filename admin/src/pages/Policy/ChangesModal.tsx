import { Box, Button, Flex, Modal, Typography } from '@strapi/design-system';
import type { ContentTypeSchema, PolicyChange } from '../../api';
import { useTranslate } from '../../translations';
import { describePolicyPath } from './validationErrors';

const show = (value: unknown): string => (value === undefined ? '—' : JSON.stringify(value));

interface ChangesModalProps {
  changes: PolicyChange[];
  schemas: ContentTypeSchema[];
  isSaving: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** What saving would change, path by path, before it is applied. */
export const ChangesModal = ({ changes, schemas, isSaving, onConfirm, onCancel }: ChangesModalProps) => {
  const t = useTranslate();
  return (
    <Modal.Root open onOpenChange={(open) => !open && onCancel()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('common.close', 'Close')}>
          <Modal.Title>{t('policy.changes.title', 'Review the changes')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {changes.length === 0 ? (
            <Typography>{t('policy.changes.none', 'Nothing changes.')}</Typography>
          ) : (
            <Flex tag="ul" direction="column" alignItems="stretch" gap={3}>
              {changes.map((change) => (
                <Box tag="li" key={change.path.join('\u0000')} padding={3} background="neutral100" hasRadius>
                  <Typography fontWeight="bold" tag="p">
                    {describePolicyPath(change.path, schemas, t)}
                  </Typography>
                  <Typography tag="p" textColor="danger600" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                    {t('policy.changes.before', 'before: {value}', { value: show(change.before) })}
                  </Typography>
                  <Typography
                    tag="p"
                    textColor="success600"
                    style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
                  >
                    {t('policy.changes.after', 'after: {value}', { value: show(change.after) })}
                  </Typography>
                </Box>
              ))}
            </Flex>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onCancel}>
            {t('common.cancel', 'Cancel')}
          </Button>
          <Button onClick={onConfirm} loading={isSaving} disabled={changes.length === 0}>
            {t('policy.changes.confirm', 'Apply the changes')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
