import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/**
 * A session keeps at most this many events, and about this many bytes of them: the newest. A client resumes a cut
 * stream at once; the bound is what a session that made calls holds for it (an idle one holds only its own state).
 */
const MAX_EVENTS = 32;
const MAX_BYTES = 64 * 1024;

/**
 * The SSE events of one 2025-11-25 session, kept so that a client whose stream was cut resumes it with
 * `Last-Event-ID` (SEP-1699). With an event store the SDK also opens every POST stream with a priming event and the
 * `retry` field. Bounded: an event older than the newest MAX_EVENTS (or MAX_BYTES) is gone, and a resume from it
 * replays nothing.
 */
export const createSessionEventStore = (): EventStore => {
  const events = new Map<string, { streamId: string; seq: number; message: JSONRPCMessage; bytes: number }>();
  let seq = 0;
  let bytes = 0;

  return {
    async storeEvent(streamId, message) {
      seq += 1;
      const eventId = String(seq);
      const size = JSON.stringify(message).length;
      events.set(eventId, { streamId, seq, message, bytes: size });
      bytes += size;
      // Map iteration is insertion order: the oldest go first.
      for (const [id, event] of events) {
        if (events.size <= MAX_EVENTS && bytes <= MAX_BYTES) break;
        events.delete(id);
        bytes -= event.bytes;
      }
      return eventId;
    },
    async getStreamIdForEventId(eventId) {
      return events.get(eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const last = events.get(lastEventId);
      if (!last) return '';
      for (const [id, event] of events) {
        // A priming event ({}) only opens a stream: nothing to replay.
        if (event.streamId === last.streamId && event.seq > last.seq && Object.keys(event.message).length > 0) {
          await send(id, event.message);
        }
      }
      return last.streamId;
    },
  };
};
