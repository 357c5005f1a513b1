/** The command's help: general usage, the scenario list, and one scenario's knobs. */
import type { Lang } from '../report/lang.ts';
import { flagOf, knobCatalogue, type KnobName } from '../runner/knobs.ts';
import type { AnyScenario } from '../runner/scenario.ts';
import { knobNames } from './args.ts';
import { declaredKnobs } from './resolve-knobs.ts';

/** The placeholder each knob flag shows in help (a knob added to the catalogue must get one). */
const metavar: Record<KnobName, string> = { messages: 'N', partitions: 'P', batch: 'B', crashAfter: 'K', crashBatch: 'C' };

const column = (left: string, width = 23) => (left.length >= width ? `${left}\n${' '.repeat(width)}` : left.padEnd(width));

const options = `Options:
  --list                 list the scenarios
  --json                 print only the result JSON on stdout
  --lang en|zh           language of the lesson (default: from LANG, else en)
  --broker container|local|external|cluster
                         where Kafka comes from (default: external if KAFKA_BROKERS is set,
                         else the lesson broker of \`npm run broker\` if one runs, else a container
                         if a Docker engine answers, else the local JVM broker)
  --step                 stop at each phase and event, say what to watch, go on at Enter
  --keep                 leave the run's topic and groups on the broker (lesson broker or
                         KAFKA_BROKERS) and print the commands of Kafka's own tools
  --keep-runs N          run folders kept per scenario under results/ (default 20; older ones are deleted)
  --jobs N               with all: scenarios run at once on the one broker (default 3; those that
                         kill or restart the broker run alone)
  --client kafkajs|platformatic
                         the Kafka client the strategies' consumers run on (default kafkajs)
  -h, --help             this help; after a scenario name, that scenario's knobs`;

const environment = `Environment:
  KAFKA_BROKERS=host:port,...  use an existing cluster (nothing is started or stopped)
  KAFKA_BROKER=container|local|external|cluster  the same as --broker
  KAFKA_IMAGE=name:tag         the Kafka image for --broker container (default apache/kafka:<version>)
  NO_COLOR=1                   no colours`;

export const exitCodes = `Exit codes: 0 counts as predicted, 1 a count differs from the prediction,
2 bad command line, 3 environment problem (Java, Maven, Docker or image, broker, network, disk),
4 harness error (a bug in kafka-offset-lab: please report it), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).`;

/** The general usage: every knob of the catalogue (each scenario uses some of them). */
export function usage(lang: Lang): string {
  const knobs = knobNames.map((name) => `  ${column(`${flagOf(name)} ${metavar[name]}`)}${knobCatalogue[name].meaning[lang]}`);
  return [
    'Usage: npm run scenario -- <name|all> [options]',
    '',
    'Runs a scenario on a real Kafka broker and prints, per consumer strategy, how many',
    'messages were lost and how many were processed twice.',
    '',
    options,
    '',
    'Knobs (each scenario uses some of them, with defaults of its own;',
    '`npm run scenario <name> -- --help` lists a scenario\'s knobs):',
    ...knobs,
    '',
    environment,
    '',
    exitCodes,
  ].join('\n');
}

export function listScenarios(scenarios: readonly Pick<AnyScenario, 'name' | 'summary'>[], lang: Lang): string {
  const width = Math.max(...scenarios.map((s) => s.name.length), 'all'.length);
  const all = lang === 'zh' ? '依次运行全部场景，打印一张汇总表' : 'run every scenario in turn and print one summary table';
  const extras = lang === 'zh'
    ? [['save-cost', '计时：每种保存方式、每种保存间隔的吞吐量（B3、D2）'], ['claims', '在一个 broker 上运行证据场景，为原回答的每个说法给出结论（也是 npm run claims）']]
    : [['save-cost', 'timing: throughput per save mode and save interval (B3, D2)'], ['claims', 'run the evidence on one broker and give every claim of the answer a verdict (also npm run claims)']];
  return [
    ...scenarios.map((s) => `  ${s.name.padEnd(width)}  ${s.summary[lang]}`),
    `  ${'all'.padEnd(width)}  ${all}`,
    ...extras.map(([name, what]) => `  ${name!.padEnd(width)}  ${what}`),
  ].join('\n');
}

/** One scenario's help: its summary, its knobs (flag, default, meaning), the general options. */
export function scenarioHelp(scenario: Pick<AnyScenario, 'name' | 'summary' | 'knobs'>, lang: Lang): string {
  const rows = declaredKnobs(scenario).map((name) => {
    const declaration = scenario.knobs[name] as { default: number; meaning?: { en: string; zh: string } };
    const meaning = (declaration.meaning ?? knobCatalogue[name].meaning)[lang];
    return { flag: `${flagOf(name)} ${metavar[name]}`, fallback: `${lang === 'zh' ? '默认' : 'default'} ${declaration.default}`, meaning };
  });
  const flagWidth = Math.max(...rows.map((r) => r.flag.length)) + 2;
  const defaultWidth = Math.max(...rows.map((r) => r.fallback.length)) + 2;
  return [
    `${scenario.name}: ${scenario.summary[lang]}`,
    '',
    `Usage: npm run scenario ${scenario.name} -- [options]`,
    '',
    `Knobs of ${scenario.name}:`,
    ...rows.map((r) => `  ${r.flag.padEnd(flagWidth)}${r.fallback.padEnd(defaultWidth)}${r.meaning}`),
    '',
    options,
    '',
    exitCodes,
  ].join('\n');
}
