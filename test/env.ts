/**
 * Variables of the caller's shell that would change what a test observes: which broker runs
 * (KAFKA_BROKER, KAFKA_BROKERS, KAFKA_IMAGE), how it starts (KAFKA_LOCAL_PORT,
 * KAFKA_READY_TIMEOUT_MS), how clients talk to it (KAFKA_SESSION_TIMEOUT_MS, TLS/SASL) and the
 * language and colours of the output. A test that spawns the CLI or chooses a broker states the
 * ones it needs itself.
 */
export const callerVariables = [
  'KAFKA_BROKER',
  'KAFKA_BROKERS',
  'KAFKA_IMAGE',
  'KAFKA_LOCAL_PORT',
  'KAFKA_READY_TIMEOUT_MS',
  'KAFKA_SESSION_TIMEOUT_MS',
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_INSECURE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_OFFSET_LAB_RESULTS',
  'LC_ALL',
  'LC_MESSAGES',
  'LANG',
  'FORCE_COLOR',
  'NO_COLOR',
] as const;

/** process.env without the caller's variables, then `overrides` (an undefined value removes a variable). */
export function cleanEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of callerVariables) delete env[name];
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
