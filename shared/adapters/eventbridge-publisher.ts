/**
 * EventPublisher on an EventBridge bus: PutEvents in batches of ten (its limit), `source` `dunning`, the detail type
 * and the detail as DESIGN.md §5 "Events out" says. Entries EventBridge refuses in a batch (throttling, an internal
 * error) are sent again a few times; what still fails makes the call throw, and the caller's retry sends it again.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type OutgoingEvent } from '../domain/events-out';
import type { EventPublisher } from '../ports/events';
import { awsClient } from './aws-clients';

const BATCH = 10;
const ATTEMPTS = 3;

export function eventBridgePublisher(eventBusName: string): EventPublisher {
  return {
    async publish(events) {
      for (let start = 0; start < events.length; start += BATCH) {
        let entries: PutEventsRequestEntry[] = events.slice(start, start + BATCH).map((event) => entryOf(eventBusName, event));
        for (let attempt = 1; entries.length; attempt++) {
          const { Entries = [] } = await awsClient(EventBridgeClient).send(new PutEventsCommand({ Entries: entries }));
          // Results come in the order of the entries: keep those with an error code for another attempt.
          entries = entries.filter((_, i) => Entries[i]?.ErrorCode !== undefined || Entries[i] === undefined);
          if (entries.length && attempt >= ATTEMPTS) throw new Error(`EventBridge refused ${entries.length} event(s): ${Entries.find((e) => e.ErrorCode)?.ErrorCode}`);
        }
      }
    },
  };
}

function entryOf(eventBusName: string, event: OutgoingEvent): PutEventsRequestEntry {
  return { EventBusName: eventBusName, Source: EVENT_SOURCE, DetailType: event.detailType, Detail: JSON.stringify(event.detail), Time: new Date(event.detail.at) };
}
