import type * as React from 'react';
import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS, type AdminActionName } from '../permissions';

interface ProtectedPageProps {
  /** The plugin action the page needs; the server checks it again on every route the page calls. */
  action: AdminActionName;
  /** The browser tab's title. */
  title: string;
  children: React.ReactNode;
}

/** One page of Settings → MCP Server: shown only to admins holding its action, with its tab title. */
export const ProtectedPage = ({ action, title, children }: ProtectedPageProps) => (
  <Page.Protect permissions={PERMISSIONS[action]}>
    <Page.Title>{title}</Page.Title>
    <Page.Main>{children}</Page.Main>
  </Page.Protect>
);
