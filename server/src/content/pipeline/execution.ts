import { McpToolError } from '../../errors';
import { translateStrapiErrors } from '../strapi-errors';
import type { ContentCall } from './content-call';

/** PostgreSQL's "canceling statement due to statement timeout". */
const QUERY_CANCELED = '57014';

const isPostgres = (call: ContentCall<unknown>) =>
  (call.strapi.db as unknown as { dialect: { client: string } }).dialect.client === 'postgres';

/**
 * A read within the time budget `limits.readTimeoutMs`, where the database can enforce one: on PostgreSQL the read
 * runs in a transaction whose statements time out (`SET LOCAL statement_timeout`). SQLite has no such timeout; there
 * the query guard's caps are the only bound.
 */
const withinReadBudget = async <T>(call: ContentCall<unknown>, read: () => Promise<T>): Promise<T> => {
  const timeoutMs = call.config.limits.readTimeoutMs;
  if (!isPostgres(call)) return read();
  try {
    return await call.strapi.db.transaction(async ({ trx }) => {
      await trx.raw(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
      return read();
    });
  } catch (error) {
    if ((error as { code?: string })?.code === QUERY_CANCELED) {
      throw new McpToolError(
        `the query took longer than ${timeoutMs} ms and was stopped; narrow the filters or the page`,
        undefined,
        'failed',
      );
    }
    throw error;
  }
};

/**
 * A mutation and its audit row in one transaction: the change and its record commit together, or neither. knex
 * resolves a COMMIT that failed (the connection lost at that moment) and rejects only the transaction's own promise:
 * that promise is awaited too, so a write the database never committed is not reported done.
 */
const withAuditInTransaction = async <T>(call: ContentCall<unknown>, write: () => Promise<T>): Promise<T> => {
  const outermost = !call.strapi.db.inTransaction();
  let committed: Promise<unknown> | undefined;
  const result = await translateStrapiErrors(() =>
    call.strapi.db.transaction(async ({ trx }) => {
      if (outermost) committed = (trx as { executionPromise?: Promise<unknown> }).executionPromise;
      const value = await write();
      await call.audit.write('allowed');
      return value;
    }),
  );
  await committed;
  call.audit.markCommitted();
  return result;
};

/**
 * A write whose slow part must not hold the database (an upload and Strapi's image processing): it runs outside any
 * transaction, then its audit row is written; if the row cannot be written, the write is undone, so nothing stays
 * without its record.
 */
const withAuditAfter = async <T>(call: ContentCall<unknown>, write: () => Promise<T>): Promise<T> => {
  const result = await translateStrapiErrors(write);
  try {
    await call.audit.write('allowed');
  } catch (error) {
    await call.spec.undo?.(call, result as never);
    throw error;
  }
  call.audit.markCommitted();
  return result;
};

/** Runs the operation's `execute` the way its declaration says. */
export const runInMode = (call: ContentCall<unknown>): Promise<unknown> => {
  const execute = () => call.spec.execute(call);
  switch (call.spec.runs) {
    case 'read':
      return withinReadBudget(call, execute);
    case 'write':
      return withAuditInTransaction(call, execute);
    case 'write-then-audit':
      return withAuditAfter(call, execute);
  }
};
