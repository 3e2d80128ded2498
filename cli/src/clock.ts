import { realSleep, type Sleep } from "@claudemesh/sdk";

/** Time as commands see it: what time it is, and waiting (cut short by an AbortSignal). Tests use a fixed one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep: Sleep;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: realSleep };
