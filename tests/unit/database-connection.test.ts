/** Which errors count as Strapi's database connection lost: the outage guard and the tools' message rest on it. */
import { describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../server/src/database-connection';

const strapiOn = (connection: Record<string, unknown>) => ({ db: { config: { connection } } }) as never;
const postgres = strapiOn({ client: 'postgres', connection: { host: '127.0.0.1', port: 5433 } });
const postgresByUrl = strapiOn({ client: 'postgres', connection: { connectionString: 'postgres://db:6543/app' } });
const sqlite = strapiOn({ client: 'sqlite', connection: { filename: 'data.db' } });

const networkError = (code: string, port?: number) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:${port ?? ''}`), { code, ...(port ? { port } : {}) });

describe('isConnectionLoss', () => {
  it("takes pg's and knex's own words for a lost connection, and PostgreSQL's shutdown codes", () => {
    for (const message of [
      'select 1 - Connection terminated unexpectedly',
      'Connection ended unexpectedly',
      'Knex: Timeout acquiring a connection. The pool is probably full.',
      'the database system is starting up',
      'terminating connection due to administrator command',
    ]) {
      expect(isConnectionLoss(postgres, new Error(message))).toBe(true);
    }
    expect(isConnectionLoss(postgres, Object.assign(new Error('shutdown'), { code: '57P01' }))).toBe(true);
  });

  it("takes a network error only when it names the database's port", () => {
    expect(isConnectionLoss(postgres, networkError('ECONNREFUSED', 5433))).toBe(true);
    expect(isConnectionLoss(postgresByUrl, networkError('ECONNREFUSED', 6543))).toBe(true);
    expect(isConnectionLoss(postgres, networkError('ECONNREFUSED', 25))).toBe(false);
    // An HTTP, SMTP or upload client's reset names no port: not the database's.
    expect(isConnectionLoss(postgres, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isConnectionLoss(sqlite, networkError('ECONNREFUSED', 5433))).toBe(false);
  });

  it('leaves everything else alone', () => {
    for (const reason of [new Error('plain bug'), 'a string', null, undefined, 42, { code: 'ERR_X' }]) {
      expect(isConnectionLoss(postgres, reason)).toBe(false);
    }
    expect(isConnectionLoss(postgres, Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
