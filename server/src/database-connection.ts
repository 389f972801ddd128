/** Errors of a lost or refused database connection (pg, knex's pool), as opposed to a failed query. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);
const CONNECTION_MESSAGES =
  /Connection terminated|Connection ended unexpectedly|Timeout acquiring a connection|connect ECONNREFUSED|the database system is (starting up|shutting down)/i;

export const isConnectionLoss = (reason: unknown): boolean => {
  const error = reason as { code?: unknown; message?: unknown } | null;
  if (!error || typeof error !== 'object') return false;
  return (
    (typeof error.code === 'string' && CONNECTION_CODES.has(error.code)) ||
    (typeof error.message === 'string' && CONNECTION_MESSAGES.test(error.message))
  );
};
