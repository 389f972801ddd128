import { deriveAppKey } from '../../app-keys';
import { digestOf } from '../../canonical-json';
import { mutationModeOf } from '../../config/mutation-mode';
import { McpToolError, PolicyRefusal } from '../../errors';
import { getService } from '../../services/get-service';
import { MEDIA_UID } from '../../services/policy/compile-policy';
import {
  checkConfirmationToken,
  mintConfirmationToken,
  type ConfirmationBinding,
  type ConfirmationProblem,
} from '../confirmation-token';
import { type CommonArgs, type ContentCall, typeOf } from './content-call';

type Call = ContentCall<CommonArgs>;

/** A mutation is every content operation that does not only read. */
const isMutation = (call: Call) => call.spec.runs !== 'read';

/** `mutations: 'disabled'` (the production default): no mutation runs, not even as a dry run. */
export const refuseFencedMutation = (call: Call) => {
  if (!isMutation(call) || mutationModeOf(call.strapi, call.config) !== 'disabled') return;
  const where = call.config.mutations === undefined ? 'in production' : 'on this server';
  throw new PolicyRefusal(
    `mutations are switched off ${where} (mutations: 'disabled'); an administrator sets mutations: 'enabled' or ` +
      `'confirm' (MCP_MUTATIONS)`,
  );
};

/** What a token of this call must have been issued for. */
const bindingOf = (call: Call): ConfirmationBinding => {
  const { dryRun: _dryRun, confirmationToken: _token, ...args } = call.args as Record<string, unknown>;
  const { adminUser, identityKey } = call.policy.caller;
  const subject = call.spec.subject ?? 'content-type';
  return {
    caller: digestOf([adminUser.id, identityKey]),
    action: `${subject}:${call.spec.action}`,
    contentType: subject === 'media-library' ? MEDIA_UID : typeOf(call).uid,
    documentId: call.documentId ?? call.joinDocumentId ?? null,
    args: digestOf(args),
  };
};

const AGAIN = 'run the call with dryRun: true for a new token';

/** Why a valid token could not be spent; it stays unspent, so the same call may be retried with it. */
const UNSPENT = {
  unavailable:
    'cannot check the confirmation token now (Redis, where spent tokens are kept, does not answer); nothing was ' +
    'changed, retry shortly with the same token',
  full:
    'cannot check the confirmation token now (this server holds as many unexpired spent tokens as it may); nothing ' +
    'was changed, retry shortly with the same token',
};

const describeProblem = (found: ConfirmationProblem, expected: ConfirmationBinding): string => {
  switch (found.problem) {
    case 'malformed':
      return `confirmationToken is not a confirmation token of this server; ${AGAIN}`;
    case 'signature':
      return `confirmationToken was altered or signed elsewhere (its signature does not match); ${AGAIN}`;
    case 'expired':
      return `confirmationToken expired at ${new Date(found.expiredAt).toISOString()}; ${AGAIN}`;
    case 'caller':
      return `confirmationToken was issued to another caller (another user, role, tenant or credential); ${AGAIN}`;
    case 'action':
      return `confirmationToken was issued for ${found.issuedFor}, not ${expected.action}; ${AGAIN}`;
    case 'content-type':
      return `confirmationToken was issued for ${found.issuedFor}, not ${expected.contentType}; ${AGAIN}`;
    case 'document':
      return (
        `confirmationToken was issued for ${found.issuedFor ? `document ${found.issuedFor}` : 'a new document'}, ` +
        `not ${expected.documentId ? `document ${expected.documentId}` : 'a new document'}; ${AGAIN}`
      );
    case 'arguments':
      return (
        'confirmationToken was issued for other arguments (data, locale, status... differ from the dry run); repeat ' +
        `the dry run's call exactly, without dryRun, or ${AGAIN}`
      );
  }
};

/**
 * `mutations: 'confirm'`, after every other check: a dry run gets a token for exactly this call (handed out with its
 * preview), and the real call must bring it. The token is spent here, so only a call that would otherwise run spends
 * it; the audit rows of both calls name its id.
 */
export const requireConfirmation = async (call: Call) => {
  if (!isMutation(call) || mutationModeOf(call.strapi, call.config) !== 'confirm') return;
  const key = deriveAppKey(call.strapi, 'mutation confirmation');
  const expected = bindingOf(call);
  if (call.dryRun && call.spec.preview) {
    const minted = mintConfirmationToken(key, expected, call.config.mutationConfirmation.ttlSeconds * 1000);
    const expiresAt = new Date(minted.expiresAt).toISOString();
    call.confirmation = { token: minted.token, expiresAt };
    call.audit.note({ confirmation: `confirmation token ${minted.jti} issued, good until ${expiresAt}` });
    return;
  }
  const token = call.args.confirmationToken;
  if (!token) {
    throw new PolicyRefusal(
      "this server confirms every change (mutations: 'confirm'): run this call with dryRun: true first, check its " +
        'answer, then repeat the call unchanged without dryRun and with confirmationToken set to its confirmation.token',
    );
  }
  const checked = checkConfirmationToken(key, token, expected);
  if (!checked.ok) throw new PolicyRefusal(describeProblem(checked, expected));
  const spent = await getService(call.strapi, 'confirmations').spend(checked.jti, checked.expiresAt);
  if (spent === 'used') {
    throw new PolicyRefusal(`confirmationToken was already used: a token confirms one call; ${AGAIN}`);
  }
  if (spent !== 'spent') throw new McpToolError(UNSPENT[spent], undefined, 'failed');
  call.audit.note({ confirmation: `confirmed by token ${checked.jti} of a dry run` });
};
