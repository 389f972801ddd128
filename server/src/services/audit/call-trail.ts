import type { AuditDecision, AuditEntry, AuditService } from './index';
import { redactArguments } from './redact';

type Details = Pick<AuditEntry, 'contentType' | 'documentId' | 'action' | 'appliedFilters' | 'diff' | 'reason'>;

/**
 * The audit row of one tool call, filled in as the call runs. A mutation writes it inside its transaction
 * (`writeInTransaction`, then `markCommitted` once the transaction returns); any other call gets it queued by
 * `finish` when the call ends, with the decision and reason of its outcome.
 */
export const createCallTrail = (
  audit: AuditService,
  base: AuditEntry & { arguments?: unknown },
  redactKeys: string[],
) => {
  const started = Date.now();
  const details: Details = {};
  let committed = false;
  const row = (decision: AuditDecision, reason?: string | null): AuditEntry => ({
    ...base,
    occurredAt: new Date(started),
    arguments: redactArguments(base.arguments, redactKeys),
    ...details,
    // Filters and diffs hold caller input too: bounded and redacted like the arguments.
    appliedFilters: redactArguments(details.appliedFilters, redactKeys),
    diff: redactArguments(details.diff, redactKeys),
    decision,
    reason: details.reason ?? reason ?? null,
    durationMs: Date.now() - started,
  });

  return {
    /** Adds what the call resolved: content type, document, action, the filters actually applied, the diff. */
    note(fields: Details) {
      Object.assign(details, fields);
    },
    async writeInTransaction(decision: AuditDecision) {
      await audit.write(row(decision));
    },
    markCommitted() {
      committed = true;
    },
    finish(decision: AuditDecision, reason?: string) {
      if (!committed) audit.record(row(decision, reason));
    },
  };
};

export type CallTrail = ReturnType<typeof createCallTrail>;
