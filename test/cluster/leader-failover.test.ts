import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import type { StartedBroker } from '../../src/broker/broker.ts';
import { readRunHistory, runHistoryFiles } from '../../src/history/run-files.ts';
import { offsetsTopic, partitionsOf, withAdmin } from '../../src/broker/cluster-metadata.ts';
import { startLocalCluster } from '../../src/broker/local-cluster.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { descendants, isBroker, stillRunning } from '../processes.ts';

/**
 * The three-node cluster is real: three JVMs from the same jars, each under a watchdog. One
 * cluster for this file (heavy on a small machine); its own, not the suite's single broker.
 */
const logDir = mkdtempSync(join(tmpdir(), 'kol-cluster-test-'));
const brokersBelow = (pid: number) => new Map([...descendants(pid)].filter(([, args]) => isBroker(args)));
let cluster: StartedBroker;
let clusterPids: number[] = [];
let startMs = 0;

beforeAll(async () => {
  const began = performance.now();
  cluster = await startLocalCluster({ logPath: join(logDir, 'cluster.log') });
  startMs = performance.now() - began;
  clusterPids = [...brokersBelow(process.pid).keys()];
  process.stderr.write(`three-node cluster ready after ${(startMs / 1000).toFixed(1)} s\n`);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('--broker cluster: three KRaft nodes on 127.0.0.1', () => {
  test('three nodes, each a watchdog and its JVM; offsets replicated three times, min.insync.replicas 2', async () => {
    expect(cluster.kind).toBe('cluster');
    expect(cluster.brokers).toHaveLength(3);
    expect(clusterPids).toHaveLength(6);
    const described = await withAdmin(cluster.brokers, (admin) => admin.describeCluster());
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    for (const p of await partitionsOf(cluster.brokers, offsetsTopic)) expect(p.isr.sort()).toEqual([1, 2, 3]);
    const configs = await withAdmin(cluster.brokers, (admin) =>
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: offsetsTopic, configNames: ['min.insync.replicas'] }] }),
    );
    expect(configs.resources[0]!.configEntries[0]).toMatchObject({ configName: 'min.insync.replicas', configValue: '2' });
  });

  test('leader-failover: the leader and coordinator is SIGKILLed, leadership moves; only the kafkajs commit to the dead coordinator repeats its batch', async () => {
    const scenario = findScenario('leader-failover')!;
    const result = await runScenario(scenario, scenario.defaults, { broker: cluster, resultsRoot: join(logDir, 'results') });
    const counts = Object.fromEntries(result.strategies.map((s) => [s.name, [s.lost, s.duplicated]]));
    const manual = counts['manual-commit']!;
    expect({ ...counts, 'manual-commit': manual[0] }).toEqual({ 'auto-commit': [0, 0], 'manual-commit': 0, 'file-checkpoint': [0, 0] });
    // Exactly the batch whose commit went to the dead coordinator: the refused save ended the
    // process, the restarted one resumed at the commit of 200.
    expect(manual[1]).toBe(100);
    expect(result.verdict).not.toBe('unknown');
    expect(result.matchesPrediction).toBe(true);
    // From the consumers' own histories: manual-commit's commit of batch 3 failed and its
    // consumer rejoined; the others joined once and never rejoined.
    const events = readRunHistory(runHistoryFiles(result.resultsDir));
    const joins = (name: string) => events.filter((e) => e.kind === 'joined' && e.strategy === name).length;
    expect([joins('auto-commit'), joins('file-checkpoint')]).toEqual([1, 1]);
    expect(joins('manual-commit')).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.kind === 'save-failed' && e.strategy === 'manual-commit' && e.positions[0] === 300)).toBe(true);
    // Asked of the cluster, not of the harness's notes: the topic is on all three nodes, its
    // first (preferred) replica was the leader at creation and was killed, so another leads now;
    // the killed node came back into the in-sync replicas.
    const [partition] = await partitionsOf(cluster.brokers, result.topic);
    expect(partition!.replicas).toHaveLength(3);
    expect(partition!.leader).not.toBe(partition!.replicas[0]);
    expect(partition!.isr.sort()).toEqual([1, 2, 3]);
    expect(result.faults.some((f) => f.startsWith(`SIGKILL node ${partition!.replicas[0]}`))).toBe(true);
    const failover = result.faults.find((f) => f.startsWith('failover after'));
    process.stderr.write(`${result.faults.join('\n')}\n`);
    expect(failover).toBeDefined();
  });

  test('stop leaves no JVM, no watchdog and no data folder', async () => {
    const dataDirs = [...brokersBelow(process.pid).values()].map((args) => /(\S*kafka-offset-lab-broker-cluster-[^/\s]+)/.exec(args)?.[1]);
    await cluster.stop();
    expect(stillRunning(clusterPids)).toEqual([]);
    expect(dataDirs[0]).toBeDefined();
    expect(existsSync(dataDirs[0]!)).toBe(false);
  });

});
