/**
 * The local runtime's clock. Handlers read it through `Dependencies.clock`; the engine's waits and the Scheduler's
 * schedules are timers on it. It starts at the real current time (or `startAt`) and then either stands still
 * (`speed: 0`) or runs `speed` times faster than real time; `advance`/`setTo` jump forward, firing every timer due by
 * the new time in time order and waiting for the system to be idle after each one (see Activity).
 */
import type { Clock } from '../../shared/ports';

export interface VirtualClockOptions {
  /** Virtual time at creation; default: the real current time. */
  startAt?: Date;
  /** Virtual milliseconds per real millisecond: 0 = frozen (tests), 1 = real pace (default), 86400 = a day per second. */
  speed?: number;
  /** Awaited after each fired timer before the next one fires; default: one macrotask turn. */
  waitForIdle?: () => Promise<void>;
  /** Receives errors thrown by timer callbacks (default: console.error). */
  onError?: (error: unknown, label: string) => void;
}

export interface TimerHandle {
  readonly due: Date;
  readonly label: string;
  cancel(): void;
}

interface Timer {
  due: number;
  seq: number;
  label: string;
  callback: () => unknown;
  cancelled: boolean;
}

/** setTimeout's longest delay (about 24.8 days); longer delays are re-armed. */
const MAX_REAL_DELAY_MS = 2_147_483_647;

export class VirtualClock implements Clock {
  private baseVirtual: number;
  private baseReal: number;
  private readonly speed: number;
  private timers: Timer[] = [];
  private seq = 0;
  private realTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private waitForIdle: () => Promise<void>;
  private readonly onError: (error: unknown, label: string) => void;

  constructor(options: VirtualClockOptions = {}) {
    this.baseVirtual = (options.startAt ?? new Date()).getTime();
    this.baseReal = Date.now();
    this.speed = Math.max(0, options.speed ?? 1);
    this.waitForIdle = options.waitForIdle ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.onError = options.onError ?? ((error, label) => console.error(`[clock] timer "${label}" failed:`, error));
  }

  /** Lets the runtime plug its idle detector in after construction. */
  setIdleWaiter(waitForIdle: () => Promise<void>): void {
    this.waitForIdle = waitForIdle;
  }

  get speedFactor(): number {
    return this.speed;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.baseVirtual + Math.floor((Date.now() - this.baseReal) * this.speed);
  }

  /** Calls `callback` when the virtual time reaches `instant` (at once, on the next turn, if it has passed). */
  at(instant: Date | string | number, callback: () => unknown, label = 'timer'): TimerHandle {
    const due = new Date(instant).getTime();
    if (Number.isNaN(due)) throw new RangeError(`Invalid timer instant: ${String(instant)}`);
    const timer: Timer = { due, seq: this.seq++, label, callback, cancelled: false };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    if (due <= this.nowMs()) {
      setImmediate(() => void this.fireDue());
    } else {
      this.arm();
    }
    return {
      due: new Date(due),
      label,
      cancel: () => {
        timer.cancelled = true;
        this.timers = this.timers.filter((t) => t !== timer);
        this.arm();
      },
    };
  }

  /** Timers not fired yet, soonest first. */
  pending(): { due: string; label: string }[] {
    return this.timers.map((t) => ({ due: new Date(t.due).toISOString(), label: t.label }));
  }

  /** Moves forward by `ms`; resolves once every timer due by then has fired and the system is idle. */
  advance(ms: number): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError('The clock only moves forward'));
    return this.serialize(() => this.runUntil(this.nowMs() + ms));
  }

  /** Moves forward to `date` (not backwards); same settling as `advance`. */
  setTo(date: Date | string): Promise<Date> {
    const target = new Date(date).getTime();
    if (Number.isNaN(target)) return Promise.reject(new RangeError(`Invalid date: ${String(date)}`));
    if (target < this.nowMs()) {
      return Promise.reject(new RangeError(`The clock only moves forward (now ${this.now().toISOString()})`));
    }
    return this.serialize(() => this.runUntil(target));
  }

  /** Fires the timers due at the current time and waits for idle (what the real-time pace does by itself). */
  settle(): Promise<Date> {
    return this.serialize(() => this.runUntil(this.nowMs()));
  }

  /** Forgets every timer and stops the real-time pacing. */
  stop(): void {
    this.stopped = true;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    for (const timer of this.timers) timer.cancelled = true;
    this.timers = [];
  }

  private serialize(work: () => Promise<Date>): Promise<Date> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private fireDue(): Promise<Date> {
    return this.serialize(() => this.runUntil(this.nowMs()));
  }

  private setVirtual(ms: number): void {
    if (ms <= this.nowMs()) return;
    this.baseVirtual = ms;
    this.baseReal = Date.now();
  }

  /** Fires timers in time order up to `target`, waiting for idle after each; new timers due by `target` fire too. */
  private async runUntil(target: number): Promise<Date> {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    try {
      await this.waitForIdle();
      for (;;) {
        if (this.stopped) break;
        const limit = Math.max(target, this.nowMs());
        const next = this.timers[0];
        if (!next || next.due > limit) {
          this.setVirtual(target);
          await this.waitForIdle();
          const again = this.timers[0];
          if (again && again.due <= Math.max(target, this.nowMs())) continue;
          break;
        }
        this.timers.shift();
        if (next.cancelled) continue;
        this.setVirtual(next.due);
        try {
          await next.callback();
        } catch (error) {
          this.onError(error, next.label);
        }
        await this.waitForIdle();
      }
    } finally {
      this.arm();
    }
    return this.now();
  }

  /** With a running pace, wakes up in real time when the next timer is due. */
  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    if (this.stopped || this.speed === 0 || this.timers.length === 0) return;
    const delay = Math.min(MAX_REAL_DELAY_MS, Math.max(0, Math.ceil((this.timers[0].due - this.nowMs()) / this.speed)));
    this.realTimer = setTimeout(() => {
      this.realTimer = undefined;
      void this.fireDue();
    }, delay);
    this.realTimer.unref();
  }
}
