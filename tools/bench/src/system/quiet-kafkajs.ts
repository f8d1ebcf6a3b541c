const VARIABLE = 'KAFKAJS_LOG_LEVEL';
let setByBench = false;

/**
 * The product's transport options leave kafkajs's own logger on in the bench's process (INFO: every
 * group join, to stdout where the table goes; ERROR: each retry on a fresh topic). Failures reach the
 * figures as failed calls, with their message.
 */
export function quietKafkajs(): void {
  if (process.env[VARIABLE] !== undefined) return;
  process.env[VARIABLE] = 'NOTHING';
  setByBench = true;
}

/** The environment the apps get: the caller's, without what the bench set for itself. */
export function callerEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (setByBench) delete env[VARIABLE];
  return env;
}
