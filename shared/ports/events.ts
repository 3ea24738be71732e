/** Where events out go (EventBridge in `shared/adapters/eventbridge-publisher.ts`). */
import type { OutgoingEvent } from '../domain/events-out';
import type { TimelineEntry } from '../domain/invoice';

export interface EventPublisher {
  /** Publishes the events, in order; throws if any could not be (the caller's retry publishes them again). */
  publish(events: OutgoingEvent[]): Promise<void>;
}

/** A timeline item the table's stream says is new: where it sits, and the entry. */
export interface StreamedTimelineItem {
  /** The stream's sequence number: a failed batch is retried from it. */
  sequence: string;
  invoiceId: string;
  /** The entry's sort key, its identity. */
  key: string;
  entry: TimelineEntry;
}
