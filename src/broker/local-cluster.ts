import type { ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { waitFor } from '../util/wait-for.ts';
import type { BrokerStartOptions, ClusterControl, StartedBroker } from './broker.ts';
import { teachingBrokerSettings } from './broker-settings.ts';
import { newClusterId, once, waitUntilReady } from './broker-start.ts';
import { coordinatorOf, leaderOf, offsetsTopic, partitionsOf, replicasLedBy, withAdmin } from './cluster-metadata.ts';
import { freePort } from './free-port.ts';
import { findJava } from './java.ts';
import { classArchive } from './class-archive.ts';
import { brokerJvmArgs, crashJvm, propertiesText, restartJvm, runToEnd, spawnWatchdog, startFailure, stopWatchdog, waitUntilDown } from './jvm-process.ts';
import { ensureKafkaJars, kafkaVersion } from './kafka-jars.ts';

/**
 * Three KRaft nodes from the same jars on 127.0.0.1, each broker AND controller. Combined
 * nodes, not 3 controllers + 3 brokers: three JVMs instead of six on a small machine, and
 * losing one node still leaves 2 of 3 controllers (a quorum) and 2 of 3 replicas
 * (min.insync.replicas=2), so the cluster fails over instead of stopping. Every node runs
 * under its own watchdog (see jvm-process.ts): none outlives the harness.
 */
export const clusterNodeIds = [1, 2, 3] as const;

/** Replication settings of the cluster, on top of the teaching settings of the single broker. */
export const clusterReplicationSettings: Record<string, string> = {
  'default.replication.factor': '3',
  'min.insync.replicas': '2',
  'offsets.topic.replication.factor': '3',
  'transaction.state.log.replication.factor': '3',
  'transaction.state.log.min.isr': '2',
  'share.coordinator.state.topic.replication.factor': '3',
  'share.coordinator.state.topic.min.isr': '2',
};

interface Node {
  id: number;
  port: number;
  controllerPort: number;
  logPath: string;
  watchdog?: ChildProcess;
  exited: boolean;
}

export async function startLocalCluster(options: BrokerStartOptions): Promise<StartedBroker> {
  const began = performance.now();
  const java = findJava();
  const libs = await ensureKafkaJars(options.onProgress);
  const version = kafkaVersion();
  const nodes: Node[] = [];
  for (const id of clusterNodeIds) {
    nodes.push({ id, port: await freePort(), controllerPort: await freePort(), logPath: options.logPath.replace(/(\.log)?$/, `-node${id}.log`), exited: false });
  }
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const brokers = nodes.map((n) => `127.0.0.1:${n.port}`);
  const jvmArgs = brokerJvmArgs(libs, { heapMb: { min: 128, max: 320 } });
  // The single broker records the class archive; the nodes only use it when it exists.
  const archive = classArchive(libs, java.major);
  const nodeArgs = archive.recording ? jvmArgs : [...archive.jvmArgs, ...jvmArgs];
  const root = mkdtempSync(join(tmpdir(), 'kafka-offset-lab-broker-cluster-'));
  const stop = once(async () => {
    await Promise.all(nodes.map((n) => (n.watchdog ? stopWatchdog(n.watchdog) : undefined)));
    rmSync(root, { recursive: true, force: true });
  });

  const ready = (node: Node) =>
    waitUntilReady(
      [`127.0.0.1:${node.port}`, ...brokers.filter((b) => b !== `127.0.0.1:${node.port}`)],
      { hasExited: () => node.exited, exitedWhat: `node ${node.id} exited during start-up`, fail: (what) => startFailure(what, node.logPath) },
      options,
    );

  try {
    await formattedTemplates(java.executable, jvmArgs, libs, options);
    options.onProgress?.(`starting a three-node Apache Kafka ${version} cluster on ${brokers.join(',')}`);
    for (const node of nodes) {
      const dataDir = join(root, `node-${node.id}`);
      mkdirSync(dataDir);
      cpSync(templateDir(libs, node.id), join(dataDir, 'data'), { recursive: true });
      const configPath = join(dataDir, 'server.properties');
      writeFileSync(configPath, nodeProperties(node, voters, join(dataDir, 'data')));
      const logFd = openSync(node.logPath, 'a');
      node.watchdog = spawnWatchdog(java.executable, [...nodeArgs, 'kafka.Kafka', configPath], { logFd, dataDir });
      closeSync(logFd);
      node.watchdog.on('exit', () => (node.exited = true));
    }
    await Promise.all(nodes.map(ready));
    // __consumer_offsets is created on the first coordinator lookup; with three replicas it
    // needs all three nodes, so it is made now, not during a fault.
    await withAdmin(brokers, (admin) => admin.describeGroups(['kol-cluster-warm-up']));
    await waitFor(async () => (await partitionsOf(brokers, offsetsTopic)).every((p) => p.leader >= 0 && p.isr.length === nodes.length), {
      maxWaitMs: 30_000,
      description: `${offsetsTopic} to have a leader and three in-sync replicas`,
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const nodeOf = (id: number) => {
    const node = nodes.find((n) => n.id === id);
    if (!node?.watchdog) throw new Error(`no node ${id} in this cluster (nodes ${clusterNodeIds.join(', ')})`);
    return node as Node & { watchdog: ChildProcess };
  };
  const control: ClusterControl = {
    nodeIds: clusterNodeIds,
    killNode: async (id) => {
      const node = nodeOf(id);
      crashJvm(node.watchdog);
      await waitUntilDown(node.port);
    },
    restartNode: async (id) => {
      const node = nodeOf(id);
      const restarted = performance.now();
      restartJvm(node.watchdog);
      await ready(node);
      return Math.round(performance.now() - restarted);
    },
    partitionLeader: (topic, partition) => leaderOf(brokers, topic, partition),
    groupCoordinator: (groupId) => coordinatorOf(brokers, groupId),
    inSyncReplicas: async (topic, partition) => (await partitionsOf(brokers, topic)).find((p) => p.partitionId === partition)?.isr ?? [],
    topicReplicas: async (partitions) => {
      const leader = await leaderOf(brokers, offsetsTopic, 0);
      return replicasLedBy(leader ?? clusterNodeIds[0], clusterNodeIds, partitions);
    },
  };
  return {
    kind: 'cluster',
    brokers,
    description: `Apache Kafka ${version}, local three-node KRaft cluster (Java ${java.major}) on ${brokers.join(',')}`,
    kafkaVersion: version,
    readyMs: Math.round(performance.now() - began),
    disposable: true,
    cluster: control,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function nodeProperties(node: Node, voters: string, logDir: string): string {
  return propertiesText({
    ...teachingBrokerSettings,
    ...clusterReplicationSettings,
    'process.roles': 'broker,controller',
    'node.id': String(node.id),
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
  });
}

const templateRoot = (libs: string) => join(dirname(libs), 'kraft-cluster-template');
const templateDir = (libs: string, id: number) => join(templateRoot(libs), `node-${id}`);

/**
 * KRaft storage of the three nodes (one cluster id, a node id each), formatted once per Kafka
 * version and copied for each new cluster, as the single broker does.
 */
async function formattedTemplates(java: string, jvmArgs: string[], libs: string, options: BrokerStartOptions): Promise<void> {
  const root = templateRoot(libs);
  if (clusterNodeIds.every((id) => existsSync(join(templateDir(libs, id), 'meta.properties')))) return;
  options.onProgress?.('formatting KRaft storage for three nodes (once per Kafka version)');
  const staging = `${root}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const clusterId = newClusterId();
  const voters = clusterNodeIds.map((id) => `${id}@127.0.0.1:${19092 + id}`).join(',');
  const logFd = openSync(options.logPath, 'a');
  try {
    const codes = await Promise.all(
      clusterNodeIds.map((id) => {
        const configPath = join(staging, `node-${id}.properties`);
        const node = { id, port: 29092 + id, controllerPort: 19092 + id, logPath: '', exited: false };
        writeFileSync(configPath, nodeProperties(node, voters, join(staging, `node-${id}`)));
        return runToEnd(java, [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configPath], logFd);
      }),
    );
    if (codes.some((code) => code !== 0)) throw startFailure(`formatting the cluster's storage failed (exits ${codes.join(', ')})`, options.logPath);
    for (const id of clusterNodeIds) rmSync(join(staging, `node-${id}.properties`));
    try {
      renameSync(staging, root);
    } catch (error) {
      // another harness formatted them at the same time: use theirs
      if (!existsSync(join(templateDir(libs, 1), 'meta.properties'))) throw error;
    }
  } finally {
    closeSync(logFd);
    rmSync(staging, { recursive: true, force: true });
  }
}
