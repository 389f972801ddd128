import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useNotification } from '@strapi/strapi/admin';
import { useTranslate } from '../translations';

/** Shows an API error (or any other failure) as a danger notification. */
export const useNotifyError = () => {
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();
  return React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('error.unexpected', 'Something went wrong.'),
      }),
    [toggleNotification, formatAPIError, t],
  );
};
