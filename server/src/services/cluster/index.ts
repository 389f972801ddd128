import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { getService } from '../get-service';

/**
 * What one instance tells the others, through Redis pub/sub, so that every replica applies a change before its next
 * request: Strapi's admin state changed (forget cached callers and abilities), the admin panel saved settings (read
 * them again), an administrator ended sessions (end them wherever they live).
 */
export type ClusterEvent =
  | { type: 'admin-state' }
  | { type: 'settings' }
  | { type: 'end-sessions'; adminUserId: number }
  | { type: 'end-session'; sessionId: string };

/** A handler's answer, summed over the instances that acknowledged (sessions ended there). */
type Handler = (event: ClusterEvent) => void | number | Promise<void | number>;

interface Subscription {
  /** The shared connection it was made beside: a new one (redis config changed) means subscribing again. */
  publisher: Redis;
  subscriber: Redis;
  subscribed: boolean;
}

/** How long a publisher waits for the other instances to say they applied a change. */
const ACK_TIMEOUT_MS = 2_000;

/** What a message may carry: anything else on the channel is ignored. */
const clusterEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('admin-state') }),
  z.strictObject({ type: z.literal('settings') }),
  z.strictObject({ type: z.literal('end-sessions'), adminUserId: z.number().int().positive() }),
  z.strictObject({ type: z.literal('end-session'), sessionId: z.string().min(1).max(100) }),
]);
const clusterMessage = z.union([
  z.object({ from: z.string().max(100), event: clusterEvent, ack: z.string().max(100).optional() }),
  z.object({ from: z.string().max(100), acked: z.string().max(100), result: z.number().int().min(0).max(1e6) }),
]);

export interface Published {
  /** Other instances that applied the change before the timeout. */
  acknowledged: number;
  /** Other instances subscribed when it was published. */
  listening: number;
  /** The handlers' answers, summed over the instances that acknowledged. */
  result: number;
}

/**
 * Change broadcast between the replicas of one deployment, over the Redis of `redis.url` (channel
 * `<keyPrefix>:events`). A publisher may wait until every other instance has applied a change (`publish(..., { wait:
 * true })`: each answers once its handlers ran), so that an admin panel save is in force everywhere when it answers.
 * The subscriber subscribes at every (re)connection, and then forgets its caches and rereads the settings (`resync`):
 * nothing says what it missed while it was away. Without Redis nothing is told: each instance rereads the admin
 * panel's stored settings every `accessCache.maxAgeMs` (at least every second, at most every 5 minutes), and its cached
 * callers and abilities expire after that same time.
 */
const createClusterService = ({ strapi }: { strapi: Core.Strapi }) => {
  const instanceId = randomUUID();
  const handlers = new Set<Handler>();
  const waiting = new Map<string, { acknowledged: number; result: number; done: () => void; expected: number }>();
  let subscription: Subscription | undefined;
  let polling: NodeJS.Timeout | undefined;
  let delivered = 0;

  const channel = () => `${getService(strapi, 'settings').get().redis.keyPrefix}:events`;

  const deliver = async (event: ClusterEvent): Promise<number> => {
    delivered += 1;
    let result = 0;
    for (const handler of handlers) {
      try {
        const answer = await handler(event);
        if (typeof answer === 'number') result += answer;
      } catch (error) {
        strapi.log.warn(`[mcp-server] cluster event ${event.type} failed here: ${(error as Error).message}`);
      }
    }
    return result;
  };

  /** After a (re)connection nothing says what was missed: forget, reread and recheck everything. */
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

  const receive = (publisher: Redis, name: string, text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const message = clusterMessage.safeParse(parsed);
    if (!message.success || message.data.from === instanceId) return;
    if ('acked' in message.data) {
      const wait = waiting.get(message.data.acked);
      if (!wait) return;
      wait.acknowledged += 1;
      wait.result += message.data.result;
      if (wait.acknowledged >= wait.expected) wait.done();
      return;
    }
    const { event, ack } = message.data;
    void deliver(event).then((result) => {
      if (!ack) return;
      publisher.publish(name, JSON.stringify({ from: instanceId, acked: ack, result })).catch(() => undefined);
    });
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
    // Commands wait for the connection and never give up: the subscription is made at every `ready`.
    const subscriber = publisher.duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
      autoResubscribe: false,
    });
    const name = channel();
    const current: Subscription = { publisher, subscriber, subscribed: false };
    subscriber.on('error', () => undefined); // the shared connection logs outages
    subscriber.on('close', () => {
      current.subscribed = false;
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(name).then(
        () => {
          current.subscribed = true;
          void resync();
        },
        () => undefined,
      );
    });
    subscriber.on('message', (received: string, text: string) => {
      if (received === name) receive(publisher, name, text);
    });
    subscription = current;
  };

  return {
    instanceId,

    /** Starts listening (bootstrap), and follows a change of `redis`. */
    start() {
      sync();
      getService(strapi, 'settings').onChange(() => sync());
    },

    /** Runs `handler` for every event another instance publishes; a number it returns is summed for the publisher. */
    on(handler: Handler): () => void {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },

    /**
     * Tells every other instance; with `wait`, until each of those listening has applied it (at most 2 s: an instance
     * that does not answer by then is logged). Best effort: when Redis cannot take it, the others apply the change
     * within `accessCache.maxAgeMs` (admin state) or when they resync after the outage.
     */
    async publish(event: ClusterEvent, { wait = false } = {}): Promise<Published> {
      const none = { acknowledged: 0, listening: 0, result: 0 };
      const publisher = getService(strapi, 'rate-limits').redisClient();
      if (!publisher) return none;
      const ack = wait ? randomUUID() : undefined;
      let settle: () => void = () => undefined;
      const acknowledged = new Promise<void>((resolve) => (settle = resolve));
      const entry = { acknowledged: 0, result: 0, done: settle, expected: Number.POSITIVE_INFINITY };
      if (ack) waiting.set(ack, entry);
      try {
        const receivers = await publisher.publish(channel(), JSON.stringify({ from: instanceId, event, ack }));
        // This instance's own subscriber is among the receivers; it ignores its own messages.
        const listening = Math.max(0, receivers - (subscription?.subscribed ? 1 : 0));
        if (!ack || listening === 0) return { acknowledged: 0, listening, result: 0 };
        entry.expected = listening;
        if (entry.acknowledged < listening) {
          const timer = setTimeout(settle, ACK_TIMEOUT_MS);
          await acknowledged;
          clearTimeout(timer);
        }
        if (entry.acknowledged < listening) {
          strapi.log.warn(
            `[mcp-server] ${listening - entry.acknowledged} of ${listening} other instances did not confirm ` +
              `${event.type} within ${ACK_TIMEOUT_MS} ms; they apply it when they get it`,
          );
        }
        return { acknowledged: entry.acknowledged, listening, result: entry.result };
      } catch (error) {
        strapi.log.warn(`[mcp-server] could not tell other instances of ${event.type}: ${(error as Error).message}`);
        return none;
      } finally {
        if (ack) waiting.delete(ack);
      }
    },

    /** Whether events reach this instance now: no Redis (`off`), subscribed (`ready`), or not (`down`). */
    status(): 'off' | 'ready' | 'down' {
      if (!subscription) return 'off';
      return subscription.subscribed ? 'ready' : 'down';
    },

    stats: () => ({
      instanceId,
      delivered,
      status: subscription?.subscribed ? 'ready' : subscription ? 'down' : 'off',
    }),

    stop() {
      unsubscribe();
      stopPolling();
      handlers.clear();
      for (const wait of waiting.values()) wait.done();
    },
  };
};

export default createClusterService;
export type ClusterService = ReturnType<typeof createClusterService>;
