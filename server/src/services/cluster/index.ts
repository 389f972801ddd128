import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { getService } from '../get-service';

/**
 * What one instance tells the others, through Redis pub/sub, so that every replica applies a change at its next
 * request: Strapi's admin state changed (forget cached callers and abilities), the admin panel saved settings (read
 * them again), an administrator ended sessions (end them wherever they live).
 */
export type ClusterEvent =
  | { type: 'admin-state' }
  | { type: 'settings' }
  | { type: 'end-sessions'; adminUserId: number }
  | { type: 'end-session'; sessionId: string };

type Handler = (event: ClusterEvent) => void | Promise<void>;

interface Subscription {
  /** The shared connection it was made beside: a new one (redis config changed) means subscribing again. */
  publisher: Redis;
  subscriber: Redis;
}

/** What a message may carry: anything else on the channel is ignored. */
const clusterEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('admin-state') }),
  z.strictObject({ type: z.literal('settings') }),
  z.strictObject({ type: z.literal('end-sessions'), adminUserId: z.number().int().positive() }),
  z.strictObject({ type: z.literal('end-session'), sessionId: z.string().min(1).max(100) }),
]);

/**
 * Change broadcast between the replicas of one deployment, over the Redis of `redis.url` (channel
 * `<keyPrefix>:events`). A subscriber that loses Redis may miss events: when it is back, every handler runs as if it
 * heard all of them (`resync`). Without Redis nothing is told: each instance rereads the admin panel's stored settings
 * every `accessCache.maxAgeMs` (at least every second, at most every 5 minutes) and applies them when they changed,
 * and its cached callers and abilities expire after that same time.
 */
const createClusterService = ({ strapi }: { strapi: Core.Strapi }) => {
  const instanceId = randomUUID();
  const handlers = new Set<Handler>();
  let subscription: Subscription | undefined;
  let polling: NodeJS.Timeout | undefined;
  let delivered = 0;

  const channel = () => `${getService(strapi, 'settings').get().redis.keyPrefix}:events`;

  const deliver = async (event: ClusterEvent) => {
    delivered += 1;
    for (const handler of handlers) {
      try {
        await handler(event);
      } catch (error) {
        strapi.log.warn(`[mcp-server] cluster event ${event.type} failed here: ${(error as Error).message}`);
      }
    }
  };

  /** After an outage nothing says what was missed: forget, reread and recheck everything. */
  const resync = () =>
    Promise.all([deliver({ type: 'admin-state' }), deliver({ type: 'settings' })]).then(() => undefined);

  const unsubscribe = () => {
    subscription?.subscriber.disconnect();
    subscription = undefined;
  };

  const pollInterval = () =>
    Math.min(300_000, Math.max(1_000, getService(strapi, 'settings').get().accessCache.maxAgeMs));

  const stopPolling = () => {
    if (polling) clearTimeout(polling);
    polling = undefined;
  };
  /** Without Redis: the stored settings, reread on a timer (another instance may have saved some). */
  const poll = () => {
    polling = setTimeout(() => {
      void getService(strapi, 'settings')
        .reloadIfChanged()
        .catch((error: Error) => strapi.log.warn(`[mcp-server] rereading the stored settings failed: ${error.message}`))
        .finally(() => {
          if (polling) poll();
        });
    }, pollInterval());
    polling.unref();
  };

  /** Subscribes beside the current shared Redis connection, or polls when there is none. */
  const sync = () => {
    const publisher = getService(strapi, 'rate-limits').redisClient();
    if (publisher && subscription?.publisher === publisher) return;
    if (!publisher && polling) return;
    unsubscribe();
    stopPolling();
    if (!publisher) {
      poll();
      return;
    }
    const subscriber = publisher.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    const name = channel();
    let ready = false;
    subscriber.on('error', () => undefined); // the shared connection logs outages
    subscriber.on('ready', () => {
      if (ready) void resync();
      ready = true;
    });
    subscriber.on('message', (received: string, text: string) => {
      if (received !== name) return;
      let message: { from?: unknown; event?: unknown } | null;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (!message || typeof message !== 'object') return;
      const event = clusterEvent.safeParse(message.event);
      if (message.from === instanceId || !event.success) return;
      void deliver(event.data);
    });
    void subscriber.subscribe(name).catch(() => undefined);
    subscription = { publisher, subscriber };
  };

  return {
    instanceId,

    /** Starts listening (bootstrap), and follows a change of `redis`. */
    start() {
      sync();
      getService(strapi, 'settings').onChange(() => sync());
    },

    /** Runs `handler` for every event another instance publishes. */
    on(handler: Handler): () => void {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },

    /**
     * Tells every other instance. Best effort: when Redis cannot take it, the others apply the change within
     * `accessCache.maxAgeMs` (admin state) or when they resync after the outage.
     */
    async publish(event: ClusterEvent): Promise<boolean> {
      const publisher = getService(strapi, 'rate-limits').redisClient();
      if (!publisher) return false;
      try {
        await publisher.publish(channel(), JSON.stringify({ from: instanceId, event }));
        return true;
      } catch (error) {
        strapi.log.warn(`[mcp-server] could not tell other instances of ${event.type}: ${(error as Error).message}`);
        return false;
      }
    },

    /** Whether events reach this instance now: no Redis (`off`), subscribed (`ready`), or not (`down`). */
    status(): 'off' | 'ready' | 'down' {
      if (!subscription) return 'off';
      return subscription.subscriber.status === 'ready' ? 'ready' : 'down';
    },

    stats: () => ({ instanceId, delivered, status: subscription ? subscription.subscriber.status : 'off' }),

    stop() {
      unsubscribe();
      stopPolling();
      handlers.clear();
    },
  };
};

export default createClusterService;
export type ClusterService = ReturnType<typeof createClusterService>;
