import type { AuditDecision, AuditEntry, AuditService } from './index';
import { redactArguments } from './redact';

type Details = Pick<AuditEntry, 'contentType' | 'documentId' | 'action' | 'appliedFilters' | 'diff' | 'reason'> & {
  /** How a mutation was confirmed (`mutations: 'confirm'`): recorded in `reason`, after the outcome's own reason. */
  confirmation?: string;
};

/**
 * The audit row of one tool call, filled in as the call runs. A mutation writes it with its change (`write` inside
 * the transaction, or right after an upload; then `markCommitted`); any other call gets it queued by `finish` when
 * the call ends, with the decision and reason of its outcome. A call has one row: later `finish` calls do nothing.
 */
export const createCallTrail = (
  audit: AuditService,
  base: AuditEntry & { arguments?: unknown },
  redactKeys: string[],
) => {
  const started = Date.now();
  const details: Details = {};
  let closed = false;
  const row = (decision: AuditDecision, reason?: string | null): AuditEntry => {
    const { confirmation, ...recorded } = details;
    return {
      ...base,
      occurredAt: new Date(started),
      arguments: redactArguments(base.arguments, redactKeys),
      ...recorded,
      // Filters and diffs hold caller input too: bounded and redacted like the arguments.
      appliedFilters: redactArguments(details.appliedFilters, redactKeys),
      diff: redactArguments(details.diff, redactKeys),
      decision,
      reason: [details.reason ?? reason, confirmation].filter(Boolean).join('; ') || null,
      durationMs: Date.now() - started,
    };
  };

  return {
    /**
     * Adds what the call resolved: content type, document, action, the filters actually applied, the diff, how it was
     * confirmed.
     */
    note(fields: Details) {
      Object.assign(details, fields);
    },
    /** Writes the row now, in the transaction of the change when there is one. */
    async write(decision: AuditDecision) {
      await audit.write(row(decision));
    },
    markCommitted() {
      closed = true;
    },
    finish(decision: AuditDecision, reason?: string) {
      if (closed) return;
      closed = true;
      audit.record(row(decision, reason));
    },
  };
};

export type CallTrail = ReturnType<typeof createCallTrail>;
