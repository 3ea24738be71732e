import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../adapters/ses-mailer';
import type { Mailer } from '../ports';
import { awsClient } from './aws-clients';
import { getConfig } from './dependencies';

/** The SES v2 mailer with the deployment's sender and configuration set: `getDependencies({ mailer: sesMailer })`. */
export function sesMailer(): Mailer {
  const config = getConfig();
  return new SesMailer(awsClient(SESv2Client), { from: config.senderEmail, configurationSetName: config.configurationSetName });
}
