import type { RateLimitsConfig } from '../../config/rate-limits-schema';

/** The caller's traits a call budget is chosen by. */
export interface BudgetHolder {
  adminUser: { id: number };
  email: string;
  credentialKey: string;
}

export interface CallBudget {
  /** The counter the calls are added to. */
  key: string;
  /** Calls per minute; 0 means no limit. */
  perMinute: number;
  /** Who the budget belongs to, as a refusal names it. */
  holder: 'user' | 'credential';
}

/**
 * Which budget a call is charged to: the credential's own when `rateLimits.overrides` names it (an OAuth client, an
 * admin token), else the admin user's, shared by all their sessions and credentials (`user:<email>` overrides its
 * size). Emails compare case-insensitively, as Strapi's lookup does; credential keys exactly.
 */
export const selectCallBudget = (caller: BudgetHolder, limits: RateLimitsConfig): CallBudget => {
  const own = limits.overrides[caller.credentialKey];
  if (own !== undefined && !caller.credentialKey.startsWith('user:')) {
    return { key: `credential:${caller.credentialKey}`, perMinute: own, holder: 'credential' };
  }
  const email = caller.email.toLowerCase();
  const userOverride = Object.entries(limits.overrides).find(
    ([key]) => key.startsWith('user:') && key.slice('user:'.length).toLowerCase() === email,
  );
  return {
    key: `user:${caller.adminUser.id}`,
    perMinute: userOverride ? userOverride[1] : limits.perMinute,
    holder: 'user',
  };
};

/** Seconds a refused caller should wait, for `Retry-After`: whole seconds, at least one. */
export const retryAfterSeconds = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));
