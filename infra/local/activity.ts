/**
 * Knows whether the local system is busy: a handler invocation in flight, an execution moving between states.
 * The virtual clock waits for "idle" between timers, so that advancing ten days replays them in order and answers
 * only once everything they triggered has settled.
 */
export class Activity {
  private busy = 0;
  private listeners: (() => void)[] = [];

  /** Marks one unit of work as started; call the returned function (once) when it ends. */
  enter(): () => void {
    this.busy += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy -= 1;
      if (this.busy === 0) this.notify();
    };
  }

  /** Runs `work` as one unit of activity. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const release = this.enter();
    try {
      return await work();
    } finally {
      release();
    }
  }

  get inFlight(): number {
    return this.busy;
  }

  /**
   * Resolves once nothing is in flight, checked again after a macrotask turn (work that just ended may schedule
   * follow-up work in a callback, e.g. the next state of an execution).
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.busy > 0) await new Promise<void>((resolve) => this.listeners.push(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busy === 0) {
        // Two turns: the engine hops through a few promise/event-target callbacks between states.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.busy === 0) return;
      }
    }
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
