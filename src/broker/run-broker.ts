import type { BrokerKind, BrokerStartOptions, StartedBroker } from './broker.ts';
import { resolveBrokerKind, startBroker, type BrokerChoice } from './choose.ts';
import { connectTeachingBroker, lessonBrokerFor, type TeachingBrokerState } from './teaching.ts';

/**
 * The broker a command's runs use, decided before anything starts: the lesson broker of
 * `npm run broker` when one runs (found without any configuration), else the kind the choice
 * resolves to. `npm run scenario` and `npm run claims` both decide this way.
 */
export interface RunBroker {
  kind: BrokerKind;
  lesson: TeachingBrokerState | undefined;
}

export async function chooseRunBroker(choice: BrokerChoice, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<RunBroker> {
  const lesson = await lessonBrokerFor(choice, env, say);
  return { lesson, kind: lesson ? 'external' : await resolveBrokerKind(choice, env, undefined, say) };
}

/** Connects to the lesson broker (not ours to stop), or starts one of the chosen kind. */
export async function openRunBroker({ lesson, kind }: RunBroker, options: BrokerStartOptions, env: NodeJS.ProcessEnv): Promise<StartedBroker> {
  return lesson ? connectTeachingBroker(lesson) : startBroker(kind, options, env);
}
