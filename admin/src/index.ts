import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation, prefixTranslations } from './translations';
import type { StrapiApp } from '@strapi/strapi/admin';

type SettingsPageLink = Parameters<StrapiApp['createSettingSection']>[1][number];

const settingsLinks: SettingsPageLink[] = [
  {
    intlLabel: { id: getTranslation('nav.overview'), defaultMessage: 'Overview' },
    id: 'mcp-server-overview',
    to: 'mcp-server/overview',
    Component: () => import('./pages/Overview').then((m) => ({ default: m.OverviewPage })),
    permissions: PERMISSIONS.readOverview,
  },
  {
    intlLabel: { id: getTranslation('nav.policy'), defaultMessage: 'Policy' },
    id: 'mcp-server-policy',
    to: 'mcp-server/policy',
    Component: () => import('./pages/Policy').then((m) => ({ default: m.PolicyPage })),
    permissions: PERMISSIONS.readOverview,
  },
  {
    intlLabel: { id: getTranslation('nav.access'), defaultMessage: 'Access' },
    id: 'mcp-server-access',
    to: 'mcp-server/access',
    Component: () => import('./pages/Access').then((m) => ({ default: m.AccessPage })),
    permissions: PERMISSIONS.manageAccess,
  },
  {
    intlLabel: { id: getTranslation('nav.sessions'), defaultMessage: 'Sessions' },
    id: 'mcp-server-sessions',
    to: 'mcp-server/sessions',
    Component: () => import('./pages/Sessions').then((m) => ({ default: m.SessionsPage })),
    permissions: PERMISSIONS.manageSessions,
  },
  {
    intlLabel: { id: getTranslation('nav.audit'), defaultMessage: 'Audit log' },
    id: 'mcp-server-audit',
    to: 'mcp-server/audit',
    Component: () => import('./pages/AuditLog').then((m) => ({ default: m.AuditLogPage })),
    permissions: PERMISSIONS.readAudit,
  },
  {
    intlLabel: { id: getTranslation('nav.usage'), defaultMessage: 'Usage' },
    id: 'mcp-server-usage',
    to: 'mcp-server/usage',
    Component: () => import('./pages/Usage').then((m) => ({ default: m.UsagePage })),
    permissions: PERMISSIONS.readAudit,
  },
];

type AdminApp = Pick<StrapiApp, 'registerPlugin' | 'createSettingSection' | 'router'>;

/**
 * The settings menu only links the six pages; this sends the bare section path to the overview. It goes through
 * the router's (alpha) addRoute, as a child of the `settings/*` route exactly like the links' own routes.
 */
const addSectionRedirect = (app: AdminApp) =>
  app.router?.addRoute((routes) => {
    const settings = routes.find((route) => route.path === 'settings/*');
    settings?.children?.push({
      path: PLUGIN_ID,
      lazy: () => import('./pages/SectionRedirect').then((m) => ({ Component: m.SectionRedirect })),
    });
    return routes;
  });

export default {
  register(app: AdminApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'MCP Server' });
    app.createSettingSection(
      { id: PLUGIN_ID, intlLabel: { id: getTranslation('settings.section'), defaultMessage: 'MCP Server' } },
      settingsLinks,
    );
    addSectionRedirect(app);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: messages } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          return { data: prefixTranslations(messages), locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};
