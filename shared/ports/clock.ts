/** What time it is: the system clock in Lambda, a virtual clock in the local runtime and the tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
