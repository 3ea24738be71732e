/** Where events out go (EventBridge in `shared/adapters/eventbridge-publisher.ts`). */
import type { OutgoingEvent } from '../domain/events-out';

export interface EventPublisher {
  /** Publishes the events, in order; throws if any could not be (the caller's retry publishes them again). */
  publish(events: OutgoingEvent[]): Promise<void>;
}
