import { describe, expect, test } from 'vitest';
import clientSemantics from '../../scenarios/client-semantics.ts';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import rebalanceHandoff from '../../scenarios/rebalance-handoff.ts';
import zombieConsumer from '../../scenarios/zombie-consumer.ts';
import { scenarios } from '../../scenarios/index.ts';
import { instanceSpecs, rowName, type RunContext } from '../../src/runner/scenario.ts';

const kafkajs: RunContext = { client: 'kafkajs' };

describe('crash-mid-batch predictions follow the knobs', () => {
  test('batch savers repeat crashAfter; auto-commit repeats everything before the crash on one partition', () => {
    const k = { messages: 1000, partitions: 1, batch: 100, crashAfter: 37, crashBatch: 3 };
    const target = { name: 'manual-commit', row: 'manual-commit', groupId: 'g', choice: { strategy: 'manual-commit' } } as const;
    expect(crashMidBatch.faults(k).flatMap((f) => f.triggers?.(target) ?? [])).toEqual([{ point: 'mid-batch', atProcessed: 237, action: 'die' }]);
    expect(crashMidBatch.predict(k, kafkajs)).toEqual({
      'manual-commit': { lost: 0, duplicated: 37 },
      'file-checkpoint': { lost: 0, duplicated: 37 },
      'auto-commit': { lost: 0, duplicated: 237 },
    });
  });

  test('several equal partitions: auto-commit repeats only the unfinished partition batch', () => {
    const k = { messages: 600, partitions: 3, batch: 50, crashAfter: 20, crashBatch: 2 };
    expect(crashMidBatch.predict(k, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: 70 });
    expect(crashMidBatch.predict({ ...k, messages: 60, batch: 15, crashAfter: 15, crashBatch: 3 }, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: 5 });
    expect(crashMidBatch.predict({ ...k, messages: 60, batch: 20, crashAfter: 20, crashBatch: 2 }, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: 20 });
  });

  test('unequal partitions: which is processed first is timing, so auto-commit is the min/max over orders', () => {
    // partitions of 21, 20, 20 in one fetch; the crash after message 45: 41 or 40 committed before it
    const k = { messages: 61, partitions: 3, batch: 15, crashAfter: 15, crashBatch: 3 };
    expect(crashMidBatch.predict(k, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: { min: 4, max: 5 } });
  });

  test('predictions that depend on the client are computed per client', () => {
    const k = { messages: 999, partitions: 3, batch: 100, crashAfter: 37, crashBatch: 4 };
    // kafkajs committed the finished first partition batch (333); platformatic's 5 s timer had not fired
    expect(crashMidBatch.predict(k, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: 4 });
    expect(crashMidBatch.predict(k, { client: 'platformatic' })['auto-commit']).toEqual({ lost: 0, duplicated: 337 });
    const rows = clientSemantics.predict(clientSemantics.defaults, kafkajs);
    expect(rows['auto-commit-default@kafkajs']).toEqual({ lost: 0, duplicated: 237 });
    expect(rows['auto-commit-default@platformatic']).toEqual({ lost: 763, duplicated: 0 });
    expect(rows['handed-off@platformatic']).toEqual({ lost: 0, duplicated: 237 });
  });

  test('two-member groups per client: platformatic\'s timer may have ticked; its zombie goes on from its buffer', () => {
    const platformatic: RunContext = { client: 'platformatic' };
    const k = { messages: 1200, partitions: 4, batch: 100, crashAfter: 50, crashBatch: 2 };
    expect(rebalanceHandoff.predict(k, kafkajs)['auto-commit']).toEqual({ lost: 0, duplicated: 150 });
    // a tick commits every fetched end of #1's share (600): 450 skipped, or none and 150 repeated
    expect(rebalanceHandoff.predict(k, platformatic)['auto-commit']).toEqual({
      lost: { min: 0, max: 450 },
      duplicated: { min: 0, max: 150 },
      outcomes: [{ lost: 0, duplicated: 150 }, { lost: 450, duplicated: 0 }],
    });
    expect(rebalanceHandoff.predict(k, platformatic)['manual-commit']).toEqual(rebalanceHandoff.predict(k, kafkajs)['manual-commit']);
    // 3000 on 6 partitions (500 each), frozen after 200: the zombie that rejoins redoes the 300 left of its partition on
    // platformatic, but one frozen past the client's request timeout ends like a kafkajs zombie: the same lower bound
    const z = { messages: 3000, partitions: 6, batch: 100, crashBatch: 2 };
    expect(zombieConsumer.predict(z, kafkajs)['manual-commit']).toEqual({ lost: 0, duplicated: { min: 100, max: 1400 } });
    // (and one batch more there: a late re-read of the commits can send the zombie back one batch)
    expect(zombieConsumer.predict(z, platformatic)['manual-commit']).toEqual({ lost: 0, duplicated: { min: 100, max: 1500 } });
  });

  test('every scenario predicts every one of its instances and accepts its own defaults', () => {
    for (const s of scenarios) {
      const names = instanceSpecs(s).map((i) => i.name);
      expect(new Set(names).size, s.name).toBe(names.length);
      // predictions are per row: an instance, or the group several instances share
      const rows = [...new Set(instanceSpecs(s).map(rowName))];
      expect(Object.keys(s.predict(s.defaults, kafkajs)).sort(), s.name).toEqual(rows.sort());
      expect(s.validate?.(s.defaults, (name) => `--${name}`), s.name).toBeUndefined();
    }
  });

  test('every scenario has a lesson in English and Chinese', () => {
    for (const s of scenarios) {
      expect(s.summary.en).not.toBe('');
      expect(s.summary.zh).toMatch(/[\u4e00-\u9fff]/);
      const lines = s.lesson(s.defaults, [], 'zh', kafkajs);
      expect(lines.join('')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
