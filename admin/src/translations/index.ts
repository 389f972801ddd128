import * as React from 'react';
import { useIntl } from 'react-intl';
import { PLUGIN_ID } from '../pluginId';

/** The full message id of one of the plugin's translations, e.g. `mcp-server.overview.title`. */
export const getTranslation = (id: string): string => `${PLUGIN_ID}.${id}`;

/** The translation files hold bare keys; Strapi's intl store needs them under the plugin's prefix. */
export const prefixTranslations = (messages: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(messages).map(([key, message]) => [getTranslation(key), message]));

type MessageValues = Record<string, string | number | boolean | null | undefined | Date>;

/**
 * `formatMessage` for the plugin's own messages: `t('common.cancel', 'Cancel')` formats
 * `mcp-server.common.cancel` from translations/<locale>.json, falling back to the default message.
 */
export const useTranslate = () => {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (id: string, defaultMessage: string, values?: MessageValues): string =>
      formatMessage({ id: getTranslation(id), defaultMessage }, values),
    [formatMessage],
  );
};

export type Translate = ReturnType<typeof useTranslate>;
