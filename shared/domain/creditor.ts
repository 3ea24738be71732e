/** The creditor: the company that sends the invoices and the reminders, as its emails and pages present it. */
export interface Creditor {
  name: string;
  legalId?: string;
  address?: string;
  iban: string;
  bic: string;
  bankName?: string;
}
