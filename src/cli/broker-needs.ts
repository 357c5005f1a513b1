import type { BrokerKind } from '../broker/broker.ts';
import type { AnyScenario } from '../runner/scenario.ts';

/** Why a scenario cannot run on this kind of broker (and the flag that fixes it), or undefined when it can. */
export function unmetBrokerNeed(scenario: AnyScenario, kind: BrokerKind): { reason: string; fix: string } | undefined {
  if (scenario.needsRestartableBroker && kind !== 'local') {
    return { reason: `${scenario.name} kills and restarts the broker: it runs only on the local JVM broker`, fix: '--broker local' };
  }
  if (scenario.needsCluster && kind !== 'cluster') {
    return { reason: `${scenario.name} kills the partition leader of a multi-node cluster: it runs only on the three-node cluster the harness starts (${whyNot[kind]})`, fix: '--broker cluster' };
  }
  return undefined;
}

const whyNot: Record<BrokerKind, string> = {
  local: 'the local broker is a single node, with no replica to fail over to',
  container: 'the container broker is a single node, with no replica to fail over to',
  external: 'the harness never kills nodes of a cluster it did not start',
  cluster: '',
};
