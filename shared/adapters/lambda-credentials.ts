/**
 * Stands in for `@aws-sdk/credential-provider-node` inside Lambda bundles (infra/bundling.ts aliases it here).
 * Lambda gives every function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, which is the first link the SDK's default chain tries; the rest of that chain (SSO, ini files,
 * credential processes, web identity, container and instance metadata, with the STS and SSO clients they need)
 * is never reached there and would be ~150 KB of every bundle. Without those variables, the SDK's own error says so.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** The SDK clients' default credential provider, reduced to the environment. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
