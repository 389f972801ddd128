import * as React from 'react';
import { Badge, Box, Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check } from '@strapi/icons';
import { ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import {
  useMcpApi,
  type EditablePolicy,
  type PolicyChange,
  type PolicySettings,
  type PolicyValidationIssue,
} from '../../api';
import { DateTime } from '../../components/DateTime';
import { useApiData } from '../../hooks/useApiData';
import { useCanUpdateSettings } from '../../hooks/useCanUpdateSettings';
import { useNotifyError } from '../../hooks/useNotifyError';
import { ProtectedPage } from '../../components/ProtectedPage';
import { useTranslate } from '../../translations';
import { ChangesModal } from './ChangesModal';
import { ContentTypesSection } from './ContentTypesSection';
import { GlobalSettings } from './GlobalSettings';
import { RolesMatrix } from './RolesMatrix';
import { describePolicyPath, validationIssuesOf } from './validationErrors';

const PolicyEditor = ({
  settings,
  onSaved,
}: {
  settings: PolicySettings;
  onSaved: (settings: PolicySettings) => void;
}) => {
  const t = useTranslate();
  const api = useMcpApi();
  const notifyError = useNotifyError();
  const { toggleNotification } = useNotification();
  const { canUpdateSettings } = useCanUpdateSettings();
  const [draft, setDraft] = React.useState<EditablePolicy>(settings.policy);
  const [pendingChanges, setPendingChanges] = React.useState<PolicyChange[] | null>(null);
  const [issues, setIssues] = React.useState<PolicyValidationIssue[]>([]);
  const [isBusy, setIsBusy] = React.useState(false);
  const [isResetOpen, setIsResetOpen] = React.useState(false);

  React.useEffect(() => setDraft(settings.policy), [settings.policy]);

  const isDirty = JSON.stringify(draft) !== JSON.stringify(settings.policy);
  const disabled = !canUpdateSettings || isBusy;
  const editDraft = (update: (policy: EditablePolicy) => EditablePolicy) => setDraft(update);

  /** Shows a 400's field errors above the form; anything else as a notification. */
  const handleFailure = (error: unknown) => {
    const validationIssues = validationIssuesOf(error);
    if (validationIssues) setIssues(validationIssues);
    else notifyError(error);
  };

  const preview = async () => {
    setIsBusy(true);
    try {
      const { changes } = await api.previewPolicy(draft);
      setIssues([]);
      setPendingChanges(changes);
    } catch (error) {
      handleFailure(error);
    } finally {
      setIsBusy(false);
    }
  };

  const save = async () => {
    setIsBusy(true);
    try {
      onSaved(await api.savePolicy(draft));
      setIssues([]);
      toggleNotification({
        type: 'success',
        message: t('policy.saved', 'The policy applies from the next MCP request.'),
      });
    } catch (error) {
      handleFailure(error);
    } finally {
      setPendingChanges(null);
      setIsBusy(false);
    }
  };

  const reset = async () => {
    setIsBusy(true);
    try {
      onSaved(await api.resetPolicy());
      setIssues([]);
      toggleNotification({
        type: 'success',
        message: t('policy.reset.done', 'The configuration file policy applies again.'),
      });
    } catch (error) {
      notifyError(error);
    } finally {
      setIsResetOpen(false);
      setIsBusy(false);
    }
  };

  return (
    <>
      <Layouts.Header
        title={t('policy.title', 'Policy')}
        subtitle={t('policy.subtitle', 'Which content MCP clients reach, and what each role may do with it')}
        primaryAction={
          <Flex gap={2}>
            <Button
              variant="danger-light"
              startIcon={<ArrowClockwise />}
              disabled={disabled || !settings.overridden}
              onClick={() => setIsResetOpen(true)}
            >
              {t('policy.reset', 'Reset to config')}
            </Button>
            <Button
              startIcon={<Check />}
              disabled={disabled || !isDirty}
              loading={isBusy && !isResetOpen}
              onClick={preview}
            >
              {t('policy.save', 'Save')}
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Flex gap={2} wrap="wrap">
            {settings.overridden ? (
              <>
                <Badge variant="warning">{t('policy.overridden', 'Changed in the admin panel')}</Badge>
                {settings.updatedBy ? (
                  <Typography variant="pi" textColor="neutral600">
                    {t('policy.updatedBy', 'by {by}', { by: settings.updatedBy })}
                  </Typography>
                ) : null}
                <DateTime value={settings.updatedAt} />
              </>
            ) : (
              <Badge variant="success">{t('policy.fromConfig', 'As in the configuration file')}</Badge>
            )}
            {isDirty ? <Badge variant="secondary">{t('policy.unsaved', 'Unsaved changes')}</Badge> : null}
            {!canUpdateSettings ? (
              <Typography variant="pi" textColor="neutral600">
                {t('policy.readOnlyView', 'You may read the policy but not change it.')}
              </Typography>
            ) : null}
          </Flex>
          {issues.length ? (
            <Box role="alert" background="danger100" borderColor="danger200" hasRadius padding={4}>
              <Typography fontWeight="bold" textColor="danger700" tag="p">
                {t('policy.invalid', 'The policy was not saved:')}
              </Typography>
              <ul>
                {issues.map((issue, index) => (
                  <li key={index}>
                    <Typography textColor="danger700">
                      {t('policy.invalid.issue', '{place}: {message}', {
                        place: describePolicyPath(issue.path, settings.schemas, t),
                        message: issue.message,
                      })}
                    </Typography>
                  </li>
                ))}
              </ul>
            </Box>
          ) : null}
          <ContentTypesSection
            policy={draft}
            onChange={editDraft}
            disabled={disabled}
            schemas={settings.schemas}
            actions={settings.actions}
            knownRules={[settings.policy.contentTypes, settings.baseline.contentTypes]}
          />
          <RolesMatrix policy={draft} onChange={editDraft} disabled={disabled} actions={settings.actions} />
          <GlobalSettings policy={draft} onChange={editDraft} disabled={disabled} hardLimits={settings.hardLimits} />
        </Flex>
      </Layouts.Content>
      {pendingChanges ? (
        <ChangesModal
          changes={pendingChanges}
          schemas={settings.schemas}
          isSaving={isBusy}
          onConfirm={save}
          onCancel={() => setPendingChanges(null)}
        />
      ) : null}
      <Dialog.Root open={isResetOpen} onOpenChange={setIsResetOpen}>
        <ConfirmDialog onConfirm={reset} title={t('policy.reset', 'Reset to config')}>
          {t(
            'policy.reset.confirm',
            'Drop every change made in the admin panel? The policy of the configuration file applies from the next MCP request.',
          )}
        </ConfirmDialog>
      </Dialog.Root>
    </>
  );
};

const Policy = () => {
  const api = useMcpApi();
  const { data: settings, error, isLoading, setData } = useApiData(api.getSettings);
  if (isLoading && !settings) return <Page.Loading />;
  if (error || !settings) return <Page.Error />;
  return <PolicyEditor settings={settings} onSaved={setData} />;
};

export const PolicyPage = () => {
  const t = useTranslate();
  return (
    <ProtectedPage action="readOverview" title={t('policy.pageTitle', 'MCP Server - Policy')}>
      <Policy />
    </ProtectedPage>
  );
};
