import type { Core } from '@strapi/strapi';
import type { CallPolicy } from '../services/policy';
import { buildReadView, type CallReadView } from './guards/read-view';

/** What the tools that describe the policy (whoami, list and describe content types) read: the policy and its view. */
export interface ReadScope {
  strapi: Core.Strapi;
  policy: CallPolicy;
  view(): Promise<CallReadView>;
}

export const createReadScope = ({ strapi, policy }: { strapi: Core.Strapi; policy: CallPolicy }): ReadScope => {
  let view: Promise<CallReadView> | undefined;
  return { strapi, policy, view: () => (view ??= buildReadView(strapi, policy)) };
};
