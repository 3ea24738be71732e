/**
 * Step Functions' API throttling, as AWS describes it: a bucket of `burst` tokens refilled at `rate` per second; a
 * call takes a token or is refused with ThrottlingException. Refilled on the virtual clock, so a burst that empties
 * the bucket waits for time to pass, as it would on AWS.
 */
export interface BucketSettings {
  /** Tokens added per second. */
  rate: number;
  /** The bucket's size: how many calls may come at once after a quiet moment. */
  burst: number;
}

/**
 * StartExecution's published quota in the largest regions (us-east-1, us-west-2, eu-west-1): a bucket of 1,300,
 * refilled at 300 per second. The local SendTaskSuccess bucket uses the same figures unless told otherwise.
 */
export const LARGE_REGION_BUCKET: BucketSettings = { rate: 300, burst: 1300 };

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  /** Calls refused so far. */
  throttled = 0;

  constructor(
    readonly settings: BucketSettings,
    private readonly nowMs: () => number,
  ) {
    this.tokens = Math.max(1, settings.burst);
    this.lastMs = nowMs();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.nowMs();
    if (now > this.lastMs) {
      this.tokens = Math.min(Math.max(1, this.settings.burst), this.tokens + ((now - this.lastMs) / 1000) * this.settings.rate);
      this.lastMs = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.throttled += 1;
    return false;
  }
}

/** `LOCAL_<NAME>_RATE` / `LOCAL_<NAME>_BURST` from the environment, each a positive number, else `fallback`'s. */
export function bucketFromEnv(name: 'START' | 'SIGNAL', env: NodeJS.ProcessEnv = process.env, fallback = LARGE_REGION_BUCKET): BucketSettings {
  const read = (key: string, value: number) => {
    const text = env[key];
    if (text === undefined || text === '') return value;
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new RangeError(`${key} must be a positive number, got "${text}"`);
    return parsed;
  };
  return { rate: read(`LOCAL_${name}_RATE`, fallback.rate), burst: read(`LOCAL_${name}_BURST`, fallback.burst) };
}
