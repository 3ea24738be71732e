/**
 * The reconciliation's schedule, locally: EventBridge Scheduler runs `functions/reconcile-starts.ts` every ten
 * minutes on AWS. Replaying months of virtual time with a run every ten minutes would cost more than everything else,
 * so the local runtime runs it on the same cadence only while a pending start exists — it sees them come and go in
 * the handlers' own writes (a middleware on their DynamoDB client, as the table stream does) — which is exactly when
 * a run can find something.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TimerHandle, VirtualClock } from './virtual-clock';

type KeyInput = { Item?: Record<string, { S?: string }>; Key?: Record<string, { S?: string }> };
const PENDING_START = 'STARTS#';

export class LocalReconciliation {
  private readonly pending = new Set<string>();
  private timer: TimerHandle | undefined;
  /** Runs made so far. */
  runs = 0;

  constructor(
    private readonly options: {
      clock: VirtualClock;
      everyMinutes: number;
      run: () => Promise<unknown>;
      log: (line: string) => void;
    },
  ) {}

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const command = (context as { commandName?: string }).commandName;
        const input = args.input as KeyInput;
        const key = input.Item ?? input.Key;
        if (key?.pk?.S?.startsWith(PENDING_START)) {
          const id = `${key.pk.S}/${key.sk?.S}`;
          if (command === 'PutItemCommand') this.pending.add(id);
          if (command === 'DeleteItemCommand') this.pending.delete(id);
          this.arm();
        }
        return result;
      },
      { step: 'build', priority: 'low', name: 'localReconciliation', override: true },
    );
  }

  private arm(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = this.options.clock.at(
      this.options.clock.nowMs() + this.options.everyMinutes * 60_000,
      async () => {
        this.timer = undefined;
        this.runs += 1;
        try {
          await this.options.run();
        } catch (error) {
          this.options.log(`[reconcile] reconcile-starts failed: ${String(error)}`);
        }
        this.arm();
      },
      'reconcile starts',
    );
  }

  stop(): void {
    this.timer?.cancel();
  }
}
