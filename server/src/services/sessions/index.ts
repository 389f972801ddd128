import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { accept, refuse, type Outcome } from '../../outcome';
import { getService } from '../get-service';
import type { McpCaller } from '../identity';
import { describeCredential } from '../identity/caller';
import { createSharedSlots, type SharedSlots, type SlotClaim } from './shared-slots';

/** The session's MCP server and transport, as the store sees them. */
export interface SessionConnection {
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  /** True once the transport accepted the initialize request and issued the session id. */
  readonly initialized: boolean;
  /** Sends `notifications/resources/updated` for this URI to the session's client. */
  notifyResourceUpdated(uri: string): Promise<void>;
  /** Recomputes what the session offers; its client is told which of its lists changed. */
  notifyListChanged(): Promise<void>;
  close(): Promise<void>;
}

export interface McpSession {
  readonly id: string;
  readonly identityKey: string;
  readonly adminUserId: number;
  readonly email: string;
  /** How audit rows name the credential: `jwt` or `admin-token:<id>`. */
  readonly credential: string;
  /** What the client said it is in its initialize request (`clientInfo`), for the admin panel. */
  client: { name: string | null; version: string | null; protocolVersion: string | null };
  /** Tool calls sent on this session. */
  calls: number;
  readonly createdAt: number;
  lastSeenAt: number;
  /** Requests and streams still open; an idle sweep never cuts a session mid-request. */
  inFlight: number;
  connection?: SessionConnection;
  /** Resource URIs this session subscribed to (`resources/subscribe`). */
  readonly subscriptions: Set<string>;
}

const MAX_REMEMBERED_IDENTITIES = 10_000;
/** What a 429 for sessions asks the client to wait, in seconds. */
const SESSION_RETRY_AFTER_SECONDS = 5;

const refuseBusy = (reason: string) => refuse('session-limit', reason, SESSION_RETRY_AFTER_SECONDS);
const IDENTITY_NOTICE_INTERVAL_MS = 10_000;

export type ChangeListener = (change: { type: 'lists' } | { type: 'resource'; uri: string }) => void;

export type SessionCloseReason =
  | 'deleted'
  | 'idle'
  | 'lifetime'
  | 'shutdown'
  | 'transport-closed'
  | 'evicted'
  | 'failed-initialize'
  | 'ended-by-admin'
  | 'access-off';

/**
 * Sessions live in memory, one MCP server and transport each. The SDK never expires a session,
 * so this store enforces the caps, the idle timeout and the hard lifetime, and always closes the
 * transport when it drops an entry. With Redis (`redis.url`), the caps count every replica's sessions (shared slots);
 * while Redis cannot answer, each replica counts its own.
 */
const createSessionsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const sessions = new Map<string, McpSession>();
  const changeListeners = new Set<ChangeListener>();
  /** Open 2026-07-28 listen streams, per admin user: how each one is ended. */
  const listening = new Map<number, Set<() => void>>();
  /** The identity each person (issuer and subject) last called with, to notice a new role or tenant. */
  const lastIdentity = new Map<string, { identityKey: string; announcedAt: number }>();
  /** People whose identity switch waits for the end of their notice interval. */
  const pendingNotices = new Map<string, NodeJS.Timeout>();
  /** Tool calls running, per admin user (over all its sessions) and per tenant. */
  const callsRunning = new Map<string, number>();
  let sweepTimer: NodeJS.Timeout | undefined;
  const limits = () => getService(strapi, 'settings').get().sessions;
  let shared: { client: unknown; slots: SharedSlots } | undefined;
  const sharedSlots = (): SharedSlots | undefined => {
    const client = getService(strapi, 'rate-limits').redisClient();
    if (!client) return undefined;
    if (shared?.client !== client) {
      shared = { client, slots: createSharedSlots(client, getService(strapi, 'settings').get().redis.keyPrefix) };
    }
    return shared.slots;
  };
  /** How long a shared slot lasts unless a sweep renews it: three sweeps, at most the idle timeout. */
  const lapseMs = () => Math.min(limits().idleTimeoutMs, 3 * limits().sweepIntervalMs);
  /** The shared count's answer, or `local` when Redis cannot give one (the local caps then hold alone). */
  const claimShared = async (session: McpSession): Promise<SlotClaim['outcome'] | 'user-full-elsewhere' | 'local'> => {
    const slots = sharedSlots();
    if (!slots) return 'local';
    const { max, maxPerUser } = limits();
    const claim = await slots
      .claim(session.id, session.adminUserId, { max, maxPerUser, lapseMs: lapseMs() })
      .catch(() => undefined);
    if (!claim) return 'local';
    // Closing one of this replica's idle sessions helps only if the user's other slots are not all elsewhere.
    if (claim.outcome === 'user-full') {
      const here = countForUser(session.adminUserId) - 1;
      return claim.userSlots - here >= maxPerUser ? 'user-full-elsewhere' : 'user-full';
    }
    return claim.outcome;
  };
  const leastRecentlyUsedIdle = (adminUserId: number, except?: string) =>
    [...sessions.values()]
      .filter((session) => session.adminUserId === adminUserId && session.inFlight === 0 && session.id !== except)
      .sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0];

  const isExpired = (session: McpSession, now: number) => {
    const { idleTimeoutMs, maxLifetimeMs } = limits();
    if (now - session.createdAt >= maxLifetimeMs) return 'lifetime';
    if (session.inFlight === 0 && now - session.lastSeenAt >= idleTimeoutMs) return 'idle';
    return undefined;
  };

  const close = async (id: string, reason: SessionCloseReason): Promise<boolean> => {
    const session = sessions.get(id);
    if (!session) return false;
    sessions.delete(id);
    strapi.log.debug(`[mcp-server] session ${id} closed (${reason})`);
    void sharedSlots()
      ?.release(id, session.adminUserId)
      .catch(() => undefined);
    try {
      await session.connection?.close();
    } catch (error) {
      strapi.log.warn(`[mcp-server] closing session ${id} failed: ${(error as Error).message}`);
    }
    return true;
  };

  const countForUser = (adminUserId: number) => {
    let count = 0;
    for (const session of sessions.values()) if (session.adminUserId === adminUserId) count += 1;
    return count;
  };

  return {
    /**
     * Opens a session slot for this caller. Clients that never send DELETE (the MCP Inspector CLI, `mcp-remote`)
     * leave sessions behind: at a cap, this user's least recently used idle session (no request, no stream open) is
     * closed to make room. Refused only when every session of the user is busy, or the server is full of others'.
     */
    async open(caller: McpCaller): Promise<Outcome<McpSession>> {
      const { max, maxPerUser } = limits();
      const userId = caller.adminUser.id;
      if (sessions.size >= max || countForUser(userId) >= maxPerUser) {
        const idle = leastRecentlyUsedIdle(userId);
        // close() forgets the session at once; the transport is closed in the background.
        if (idle) void close(idle.id, 'evicted');
      }
      if (countForUser(userId) >= maxPerUser) {
        return refuseBusy(
          `all ${maxPerUser} sessions of this user are busy (a request or stream open); retry when one ends, or end ` +
            'one with DELETE',
        );
      }
      if (sessions.size >= max) {
        return refuseBusy(`the server holds its maximum of ${max} sessions; retry later`);
      }
      const now = Date.now();
      const session: McpSession = {
        id: randomUUID(),
        identityKey: caller.identityKey,
        adminUserId: userId,
        email: caller.email,
        credential: describeCredential(caller.credential),
        client: { name: null, version: null, protocolVersion: null },
        calls: 0,
        createdAt: now,
        lastSeenAt: now,
        inFlight: 0,
        subscriptions: new Set(),
      };
      sessions.set(session.id, session);
      let claim = await claimShared(session);
      if (claim === 'user-full-elsewhere') claim = 'user-full';
      else if (claim === 'user-full') {
        // Other replicas' sessions cannot be evicted from here; an idle one of this replica can.
        const idle = leastRecentlyUsedIdle(userId, session.id);
        if (idle) {
          await close(idle.id, 'evicted');
          claim = await claimShared(session);
          if (claim === 'user-full-elsewhere') claim = 'user-full';
        }
      }
      if (claim === 'user-full' || claim === 'server-full') {
        sessions.delete(session.id);
        return claim === 'user-full'
          ? refuseBusy(
              `all ${maxPerUser} sessions of this user are busy or held by other instances; retry when one ends, or ` +
                'end one with DELETE',
            )
          : refuseBusy(`the deployment holds its maximum of ${max} sessions; retry later`);
      }
      return accept(session);
    },

    /** The live session with this id; an expired one is closed on the spot and reported missing. */
    get(id: string): McpSession | undefined {
      const session = sessions.get(id);
      if (!session) return undefined;
      const expired = isExpired(session, Date.now());
      if (expired) {
        void close(id, expired);
        return undefined;
      }
      return session;
    },

    /**
     * Counts a tool call as running, for its admin user and its tenant, until the returned function is called; refuses
     * (with the bound reached) when the user already runs `limits.maxConcurrentCallsPerUser` calls or the tenant
     * `limits.maxConcurrentCallsPerTenant`, so that one caller, or one tenant, cannot hold every database connection.
     */
    startCall(
      adminUserId: number,
      tenant: string | null,
    ): { ok: true; finish: () => void } | { ok: false; reason: string } {
      const { maxConcurrentCallsPerUser, maxConcurrentCallsPerTenant } = getService(strapi, 'settings').get().limits;
      const userKey = `user:${adminUserId}`;
      const tenantKey = `tenant:${tenant ?? '*'}`;
      if ((callsRunning.get(userKey) ?? 0) >= maxConcurrentCallsPerUser) {
        return {
          ok: false,
          reason: `you already have ${maxConcurrentCallsPerUser} tool calls running; wait for one to finish`,
        };
      }
      if ((callsRunning.get(tenantKey) ?? 0) >= maxConcurrentCallsPerTenant) {
        return {
          ok: false,
          reason: `your tenant already has ${maxConcurrentCallsPerTenant} tool calls running; retry in a moment`,
        };
      }
      for (const key of [userKey, tenantKey]) callsRunning.set(key, (callsRunning.get(key) ?? 0) + 1);
      let done = false;
      return {
        ok: true,
        finish: () => {
          if (done) return;
          done = true;
          for (const key of [userKey, tenantKey]) {
            const left = (callsRunning.get(key) ?? 1) - 1;
            if (left > 0) callsRunning.set(key, left);
            else callsRunning.delete(key);
          }
        },
      };
    },

    /**
     * Counts a 2026-07-28 `subscriptions/listen` stream for this admin user until the returned function is called;
     * refuses past `sessions.maxListenStreamsPerUser`, so that no one caller holds the streams of everyone. `end`
     * ends the stream when an administrator ends the user's access (or switches MCP off).
     */
    startListening(adminUserId: number, end: () => void): Outcome<() => void> {
      const { maxListenStreamsPerUser } = limits();
      const streams = listening.get(adminUserId) ?? new Set<() => void>();
      if (streams.size >= maxListenStreamsPerUser) {
        return refuse(
          'stream-limit',
          `this user already holds ${maxListenStreamsPerUser} open subscriptions/listen streams; close one first`,
          SESSION_RETRY_AFTER_SECONDS,
        );
      }
      const ending = () => end();
      streams.add(ending);
      listening.set(adminUserId, streams);
      return accept(() => {
        streams.delete(ending);
        if (streams.size === 0 && listening.get(adminUserId) === streams) listening.delete(adminUserId);
      });
    },

    /** Marks a request as running on the session until the returned function is called. */
    track(session: McpSession): () => void {
      session.inFlight += 1;
      session.lastSeenAt = Date.now();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        session.inFlight -= 1;
        session.lastSeenAt = Date.now();
      };
    },

    close,

    /** The open sessions, most recently active first. */
    list(): McpSession[] {
      return [...sessions.values()].sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },

    /** Closes every session and 2026-07-28 listen stream of this admin user; returns how many sessions. */
    async closeForUser(adminUserId: number, reason: SessionCloseReason): Promise<number> {
      for (const end of [...(listening.get(adminUserId) ?? [])]) end();
      const ids = [...sessions.values()].filter((session) => session.adminUserId === adminUserId).map((s) => s.id);
      const closed = await Promise.all(ids.map((id) => close(id, reason)));
      return closed.filter(Boolean).length;
    },

    /** Closes every session and listen stream (MCP switched off); the store keeps running. */
    async closeEverything(reason: SessionCloseReason): Promise<void> {
      for (const streams of [...listening.values()]) for (const end of [...streams]) end();
      await Promise.all([...sessions.keys()].map((id) => close(id, reason)));
    },

    async sweep(now = Date.now()): Promise<number> {
      const expired = [...sessions.values()]
        .map((session) => [session.id, isExpired(session, now)] as const)
        .filter((entry): entry is readonly [string, 'idle' | 'lifetime'] => entry[1] !== undefined);
      await Promise.all(expired.map(([id, reason]) => close(id, reason)));
      await sharedSlots()
        ?.renew([...sessions.values()], lapseMs())
        .catch(() => undefined);
      return expired.length;
    },

    startSweeping() {
      if (sweepTimer) return;
      sweepTimer = setInterval(() => void this.sweep(), limits().sweepIntervalMs);
      sweepTimer.unref();
    },

    async closeAll(reason: SessionCloseReason = 'shutdown') {
      if (sweepTimer) clearInterval(sweepTimer);
      for (const timer of pendingNotices.values()) clearTimeout(timer);
      pendingNotices.clear();
      sweepTimer = undefined;
      await Promise.all([...sessions.keys()].map((id) => close(id, reason)));
    },

    /**
     * Listeners for changes, beside the sessions: the 2026-07-28 endpoint forwards them to its `subscriptions/listen`
     * streams. Returns the function that removes the listener.
     */
    onChange(listener: ChangeListener): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },

    /**
     * Tells every client that what callers may see may have changed (a policy, a role's permissions, a tool
     * registered): sessions recompute their lists and get `list_changed` for those that changed; listen streams get
     * `list_changed` for all three.
     */
    async notifyListChanged(): Promise<void> {
      for (const listener of changeListeners) listener({ type: 'lists' });
      await Promise.all(
        [...sessions.values()].map((session) => session.connection?.notifyListChanged().catch(() => undefined)),
      );
    },

    /**
     * Notes the identity a person calls with. When it differs from the last one (a new token with another role or
     * tenant), what they may see changed: clients holding their lists are told so, as for a policy change.
     */
    noticeIdentity(caller: McpCaller, now = Date.now()): void {
      const person = JSON.stringify([caller.issuer, caller.subject ?? caller.email]);
      const last = lastIdentity.get(person);
      lastIdentity.delete(person);
      lastIdentity.set(person, { identityKey: caller.identityKey, announcedAt: last?.announcedAt ?? 0 });
      if (lastIdentity.size > MAX_REMEMBERED_IDENTITIES) lastIdentity.delete(lastIdentity.keys().next().value!);
      if (last === undefined || last.identityKey === caller.identityKey || pendingNotices.has(person)) return;
      // One person switching tokens back and forth is announced once per interval: at once, or when it ends.
      const wait = Math.max(0, last.announcedAt + IDENTITY_NOTICE_INTERVAL_MS - now);
      const announce = () => {
        pendingNotices.delete(person);
        const entry = lastIdentity.get(person);
        if (entry) entry.announcedAt = Date.now();
        void this.notifyListChanged();
      };
      if (wait === 0) {
        announce();
        return;
      }
      const timer = setTimeout(announce, wait);
      timer.unref();
      pendingNotices.set(person, timer);
    },

    /** Tells every session subscribed to this resource URI that it changed; returns how many were told. */
    async notifyResourceUpdated(uri: string): Promise<number> {
      for (const listener of changeListeners) listener({ type: 'resource', uri });
      const subscribers = [...sessions.values()].filter((session) => session.subscriptions.has(uri));
      const sent = await Promise.all(
        subscribers.map((session) =>
          session.connection?.notifyResourceUpdated(uri).then(
            () => true,
            () => false,
          ),
        ),
      );
      return sent.filter(Boolean).length;
    },

    stats() {
      return { open: sessions.size, limits: limits() };
    },
  };
};

export default createSessionsService;
export type SessionsService = ReturnType<typeof createSessionsService>;
