import type { Call } from '../measure/closed-loop';

/** A started path: the call to load it with, and how to stop what it started. */
export interface StartedPath {
  readonly call: Call;
  close(): Promise<void>;
}
