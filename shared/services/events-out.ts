/**
 * Publishes the transitions among new timeline items, in order (shared/domain/events-out.ts), each with the invoice as
 * it stands. Stops at the first that fails and says which: it and the ones after it are delivered again.
 */
import { eventFor } from '../domain/events-out';
import type { InvoiceRecord } from '../domain/invoice';
import type { Dependencies } from '../ports';
import type { EventPublisher, StreamedTimelineItem } from '../ports/events';

export async function publishTransitions(
  deps: Pick<Dependencies, 'store' | 'telemetry'>,
  publisher: EventPublisher,
  items: StreamedTimelineItem[],
): Promise<{ failedAt?: string }> {
  const invoices = new Map<string, InvoiceRecord | undefined>();
  for (const item of items) {
    try {
      if (!invoices.has(item.invoiceId)) invoices.set(item.invoiceId, await deps.store.getInvoice(item.invoiceId));
      const invoice = invoices.get(item.invoiceId);
      if (!invoice) continue;
      const event = eventFor(item.entry, { invoiceId: item.invoiceId, customerId: invoice.customer.id, status: invoice.status }, `${item.invoiceId}/${item.key}`);
      if (event) await publisher.publish([event]);
    } catch (error) {
      deps.telemetry?.error('event not published', { invoiceId: item.invoiceId, sequence: item.sequence, error: String(error) });
      return { failedAt: item.sequence };
    }
  }
  return {};
}
