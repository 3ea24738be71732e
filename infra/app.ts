/**
 * The CDK app, run by `npx cdk synth|deploy` (see `cdk.json`).
 *
 * One environment-agnostic stack, configured by the `dunning:*` context values (`infra/settings.ts`).
 * cdk-nag's AWS Solutions checks run on every synth: an unacknowledged finding fails it (exit code 1), so CI catches
 * a new wildcard or an unlogged resource before a deploy does.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DunningStack } from './dunning-stack';
import { readSettings } from './settings';

const app = new App();

new DunningStack(app, 'DunningStack', {
  description: 'Preventive dunning: courteous pre-reminders, one-click answers, the overdue ladder',
  settings: readSettings(app.node),
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
