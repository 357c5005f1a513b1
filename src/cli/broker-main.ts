#!/usr/bin/env node
/**
 * `npm run broker`: the teaching broker for a whole lesson, in the foreground. It prints its
 * address and settings, leaves a state file that `npm run scenario` finds (nothing to
 * configure), and stops cleanly on Ctrl-C (the broker killed, its data and the file removed).
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { teachingBrokerSettings } from '../broker/broker-settings.ts';
import { chooseBrokerKind, resolveBrokerKind, startBroker } from '../broker/choose.ts';
import { isPortInUse } from '../broker/free-port.ts';
import { findTeachingBroker, removeTeachingState, teachingStatePath, writeTeachingState } from '../broker/teaching.ts';
import { consumerSettings, teachingSessionTimeoutMs } from '../kafka/client.ts';
import { EnvironmentError, ExitCode, UserError, describeUserError, runFailure } from '../util/errors.ts';
import { resultsDir } from '../util/paths.ts';
import { newRunFolder } from '../util/prune.ts';

const usage = `Usage: npm run broker [-- --broker local|container]

Starts the teaching broker for a lesson and keeps it up until Ctrl-C. While it runs,
\`npm run scenario <name>\` in another terminal uses it with the teaching settings (1.5 s consumer
sessions): no broker start per run. Default: the automatic choice (a container if a Docker engine
answers and a Kafka image is there, else the local JVM broker).`;

const abort = new AbortController();
let stopping: (() => void) | undefined;
const onSignal = () => {
  if (!abort.signal.aborted) abort.abort();
  stopping?.();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const shown = (path: string) => relative(process.cwd(), path) || path;

try {
  const { values } = (() => {
    try {
      return parseArgs({ args: process.argv.slice(2), options: { broker: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    } catch (error) {
      throw new UserError((error as Error).message.split('\n')[0]!, { hint: 'Run with --help to see the options.' });
    }
  })();
  if (values.help) {
    process.stdout.write(`${usage}\n`);
  } else {
    // KAFKA_BROKERS names someone else's cluster: this command starts one of its own.
    const env = { ...process.env, KAFKA_BROKERS: undefined, KAFKA_BROKER: undefined };
    const choice = chooseBrokerKind(values.broker, env);
    if (choice === 'external') throw new UserError('npm run broker starts a broker: choose --broker local or --broker container.');
    const running = await findTeachingBroker((line) => process.stderr.write(`${line}\n`));
    if (running) {
      throw new EnvironmentError(`a lesson broker already runs on ${running.brokers.join(',')} (pid ${running.pid}).`, {
        hint: 'Use it (npm run scenario … finds it), or stop it with Ctrl-C in its terminal first.',
      });
    }
    const kind = await resolveBrokerKind(choice, env);
    const folder = newRunFolder(join(resultsDir, 'broker'));
    const logPath = join(folder, 'broker.log');
    process.stderr.write(`starting the lesson broker (${kind === 'local' ? 'local JVM' : 'container'})…\n`);
    await using broker = await startBroker(kind, { logPath, signal: abort.signal, onProgress: (text) => process.stderr.write(`  ${text}\n`) }, env);
    writeTeachingState({ pid: process.pid, brokers: broker.brokers, kind: broker.kind, description: broker.description, kafkaVersion: broker.kafkaVersion, logPath, startedAt: new Date().toISOString() });
    const consumer = consumerSettings(teachingSessionTimeoutMs);
    const settings = ['group.min.session.timeout.ms', 'group.initial.rebalance.delay.ms', 'broker.session.timeout.ms'].map((k) => `${k}=${teachingBrokerSettings[k]}`);
    process.stdout.write(
      [
        `Lesson broker: ${broker.description} (ready in ${(broker.readyMs / 1000).toFixed(1)} s)`,
        `  address:   ${broker.brokers.join(',')}`,
        `  broker:    ${settings.join(' · ')} (README: Settings that differ from production defaults)`,
        `  consumers: session ${consumer.sessionTimeout / 1000} s · heartbeat ${consumer.heartbeatInterval} ms · rebalance timeout ${consumer.rebalanceTimeout / 1000} s`,
        `  log:       ${shown(logPath)}`,
        `  state:     ${shown(teachingStatePath())} (how runs find this broker)`,
        'In another terminal, with nothing to configure:',
        '  npm run scenario crash-mid-batch',
        "  npm run scenario crash-mid-batch -- --keep    (leaves the run's topic and groups here for Kafka's own tools)",
        'Ctrl-C stops the broker; its data goes with it.',
        '',
      ].join('\n'),
    );
    // A broker that dies under the lesson is said at once (runs would find it silent and start their own).
    let died = false;
    let misses = 0;
    const port = Number(broker.brokers[0]!.split(':').at(-1));
    const health = setInterval(() => {
      void isPortInUse(port).then((listening) => {
        misses = listening ? 0 : misses + 1;
        if (misses >= 2) {
          died = true;
          stopping?.();
        }
      });
    }, 3000);
    if (!abort.signal.aborted) await new Promise<void>((resolve) => (stopping = resolve));
    clearInterval(health);
    process.stderr.write(died ? `the lesson broker stopped answering on port ${port}; see ${shown(logPath)}\n` : 'stopping the lesson broker…\n');
    removeTeachingState();
    await broker.stop();
    process.stderr.write('stopped\n');
    if (died) process.exitCode = ExitCode.environment;
  }
} catch (error) {
  removeTeachingState();
  const interrupted = abort.signal.aborted;
  const failure = error instanceof UserError ? error : runFailure(error, []);
  if (!interrupted) for (const line of describeUserError(failure)) process.stderr.write(`${line}\n`);
  if (failure.exitCode === ExitCode.harness && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = interrupted ? ExitCode.interrupted : failure.exitCode;
}
