/**
 * Runs the very handler modules Lambda runs (`functions/<name>.ts`), in-process: imported on first use, invoked with
 * a JSON round-tripped event and a Lambda-like context, counted as activity so the virtual clock knows when the
 * system is idle.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Activity } from './activity';
import { localMetrics } from './metrics';

export type LambdaHandler = (event: unknown, context: Context) => unknown;

const REGION = 'eu-west-3';
const ACCOUNT = '000000000000';
/** What the local runtime answers when a function's remaining time is asked (it never cuts a handler short). */
const REMAINING_TIME_MS = 30_000;

export function lambdaContext(functionName: string): Context {
  const fail = (error: unknown) => {
    throw error instanceof Error ? error : new Error(String(error));
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${functionName}`,
    getRemainingTimeInMillis: () => REMAINING_TIME_MS,
    done: () => undefined,
    fail,
    succeed: () => undefined,
  };
}

/** JSON in, JSON out, like Lambda's invoke: dates become strings, `undefined` disappears. */
export function jsonRoundTrip<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

export class LocalFunctions {
  private readonly modules = new Map<string, Promise<LambdaHandler>>();

  constructor(
    private readonly projectRoot: string,
    private readonly activity: Activity,
  ) {}

  modulePath(name: string): string {
    return join(this.projectRoot, 'functions', `${name}.ts`);
  }

  exists(name: string): boolean {
    return /^[a-z0-9-]+$/.test(name) && existsSync(this.modulePath(name));
  }

  load(name: string): Promise<LambdaHandler> {
    let loaded = this.modules.get(name);
    if (!loaded) {
      if (!/^[a-z0-9-]+$/.test(name)) return Promise.reject(new Error(`Not a function name: ${name}`));
      loaded = import(pathToFileURL(this.modulePath(name)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') throw new Error(`functions/${name}.ts exports no handler`);
        return module.handler as LambdaHandler;
      });
      loaded.catch(() => this.modules.delete(name));
      this.modules.set(name, loaded);
    }
    return loaded;
  }

  /** Invokes `functions/<name>.ts` with `event`; counted as activity until it settles. */
  invoke(name: string, event: unknown): Promise<unknown> {
    return this.activity.track(async () => {
      const handler = await this.load(name);
      const started = performance.now();
      let failed = true;
      try {
        const result = await handler(jsonRoundTrip(event), lambdaContext(name));
        failed = false;
        return jsonRoundTrip(result);
      } finally {
        localMetrics.lambdaInvoked(name, performance.now() - started, failed);
      }
    });
  }
}
