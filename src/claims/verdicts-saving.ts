/**
 * Verdicts on the benefits (B1–B4) and drawbacks (D1–D4) the answer lists: each a small pure
 * function of this run's numbers. The text only reports the numbers; the branch taken
 * depends on them, so a different measurement can give a different verdict.
 */
import { doesNotHold, holds, holdsOnlyWhen, verdict, type ClaimInputs } from './evidence.ts';

export const B1 = (inputs: ClaimInputs) =>
  verdict('B1', inputs, (read) => {
    const after = read.row('commit-before-process', 'commit-after-process');
    const before = read.row('commit-before-process', 'commit-before-process');
    const kafka = read.row('crash-mid-batch', 'manual-commit');
    const file = read.row('crash-mid-batch', 'file-checkpoint');
    if (after.lost > 0) return doesNotHold({ en: `saving after processing still lost ${after.lost}`, zh: `处理后再保存仍然丢了 ${after.lost} 条` });
    if (before.lost === 0) return holds({ en: 'but when you save made no measurable difference here', zh: '但在这里，何时保存没有测出差别' });
    const same = kafka.lost === file.lost && kafka.duplicated === file.duplicated;
    return holds(
      same
        ? { en: `saving after processing lost 0, saving before lost ${before.lost}; but Kafka's manual commit gives the same control with the same counts (${kafka.lost}/${kafka.duplicated}): not a benefit of checkpoint.json`, zh: `处理后保存丢 0 条，处理前保存丢 ${before.lost} 条；但 Kafka 的手动提交同样能控制何时提交，结果相同（${kafka.lost}/${kafka.duplicated}）：这不是 checkpoint.json 特有的好处` }
        : { en: `saving after processing lost 0, saving before lost ${before.lost}`, zh: `处理后保存丢 0 条，处理前保存丢 ${before.lost} 条` },
    );
  });

export const B2 = (inputs: ClaimInputs) =>
  verdict('B2', inputs, (read) => {
    const kafka = read.row('crash-mid-batch', 'manual-commit');
    const file = read.row('crash-mid-batch', 'file-checkpoint');
    const lostFile = read.row('checkpoint-lost', 'file-checkpoint+latest');
    const torn = read.row('torn-checkpoint', 'in-place+latest');
    if (file.lost < kafka.lost) return holds({ en: `the checkpoint lost ${file.lost}, Kafka's commit ${kafka.lost}`, zh: `checkpoint 丢 ${file.lost} 条，Kafka 提交丢 ${kafka.lost} 条` });
    return doesNotHold({
      en: `after a crash the checkpoint lost ${file.lost} and Kafka's commit ${kafka.lost}: no lower risk; and a lost or torn file adds risks Kafka's commit does not have (${lostFile.lost} and ${torn.lost} lost)`,
      zh: `崩溃后 checkpoint 丢 ${file.lost} 条，Kafka 提交丢 ${kafka.lost} 条：风险并没有更低；文件丢失或写坏还会带来 Kafka 提交没有的风险（丢 ${lostFile.lost} 条和 ${torn.lost} 条）`,
    });
  });

/** Save modes whose throughput B3 and D2 compare. */
const modes = ['kafka-commit', 'file-in-place', 'file-atomic', 'sqlite-transaction', 'kafka-transaction'];

export const B3 = (inputs: ClaimInputs) =>
  verdict('B3', inputs, (read) => {
    const [every, batch] = read.intervals();
    const faster = modes.filter((m) => read.rate(m, batch) > read.rate(m, every));
    const repeat = read.row('crash-during-save', 'file-checkpoint/between');
    const price = { en: `the price: a crash repeats up to a batch (${repeat.duplicated} in crash-during-save)`, zh: `代价：崩溃时最多重复一整批（crash-during-save 中重复 ${repeat.duplicated} 条）` };
    if (faster.length === modes.length) return holds({ en: `every save mode was faster saving every ${batch} than every ${every}; ${price.en}`, zh: `每种保存方式每 ${batch} 条保存都比每 ${every} 条快；${price.zh}` });
    if (faster.length === 0) return doesNotHold({ en: `no save mode was faster saving every ${batch}`, zh: `没有一种保存方式在每 ${batch} 条保存时更快` });
    return holdsOnlyWhen({ en: `saving with ${faster.join(', ')} (faster every ${batch} than every ${every})`, zh: `使用 ${faster.join('、')} 保存时（每 ${batch} 条比每 ${every} 条快）` });
  });

export const B4 = (inputs: ClaimInputs) =>
  verdict('B4', inputs, (read) => {
    const file = [read.row('crash-mid-batch', 'file-checkpoint'), read.row('crash-during-save', 'file-checkpoint/between')];
    const atomic = [read.row('the-right-way', 'atomic-store'), read.row('crash-during-save', 'atomic-store/between'), read.row('crash-during-save', 'atomic-store/during')];
    const fileDup = file.reduce((n, r) => n + r.duplicated, 0);
    if (fileDup === 0) return holds();
    if (atomic.every((r) => r.duplicated === 0 && r.lost === 0)) {
      return holdsOnlyWhen({
        en: `offsets are stored atomically with the results (one transaction): atomic-store 0 lost / 0 duplicated; checkpoint.json apart from the results repeated ${fileDup}`,
        zh: `offset 与结果原子地存在一起（同一个事务）时：atomic-store 丢 0、重复 0；与结果分开写的 checkpoint.json 重复了 ${fileDup} 条`,
      });
    }
    return doesNotHold({ en: `checkpoint.json repeated ${fileDup}, and the atomic store repeated too`, zh: `checkpoint.json 重复 ${fileDup} 条，原子存储也有重复` });
  });

export const D1 = (inputs: ClaimInputs) =>
  verdict('D1', inputs, (read) => {
    const failures = [
      read.row('torn-checkpoint', 'in-place+latest').lost,
      read.row('checkpoint-lost', 'file-checkpoint+latest').lost,
      read.row('two-services', 'shared-file-A').lost + read.row('two-services', 'shared-file-B').lost,
      read.row('rebalance-handoff', 'file-checkpoint').duplicated - read.row('rebalance-handoff', 'manual-commit').duplicated,
    ].filter((n) => n > 0).length;
    if (failures === 0) return doesNotHold({ en: 'no failure specific to the checkpoint file was measured', zh: '没有测到 checkpoint 文件特有的故障' });
    return holds({ en: `${failures} of 4 ways a checkpoint file must be kept consistent (torn, lost, shared, rebalance) went wrong here`, zh: `checkpoint 文件需要保持一致的 4 种情形（写坏、丢失、共享、再均衡）中有 ${failures} 种在这里出了问题` });
  });

export const D2 = (inputs: ClaimInputs) =>
  verdict('D2', inputs, (read) => {
    const [every, batch] = read.intervals();
    const slower = (m: string) => read.rate(m, every) < read.rate(m, batch);
    const files = ['file-in-place', 'file-atomic'].filter(slower);
    const kafka = slower('kafka-commit');
    if (files.length === 0) return doesNotHold({ en: `writing the file every ${every} was not slower than every ${batch}`, zh: `每 ${every} 条写一次文件并不比每 ${batch} 条慢` });
    return holds(
      kafka
        ? { en: `saving every ${every} was slower than every ${batch} for the file, and just as much for Kafka's own commit: frequent saving costs, whatever the store`, zh: `每 ${every} 条保存比每 ${batch} 条慢——文件如此，Kafka 自己的提交也一样：频繁保存都有代价，与存在哪里无关` }
        : { en: `saving the file every ${every} was slower than every ${batch}`, zh: `每 ${every} 条写一次文件比每 ${batch} 条慢` },
    );
  });

export const D3 = (inputs: ClaimInputs) =>
  verdict('D3', inputs, (read) => {
    const torn = read.row('torn-checkpoint', 'in-place+latest');
    const ahead = read.row('stale-checkpoint', 'ahead');
    const between = read.row('crash-during-save', 'file-checkpoint/between');
    const atomic = read.row('crash-during-save', 'atomic-store/between');
    if (torn.lost + ahead.lost + between.duplicated === 0) return doesNotHold();
    return holds({
      en: `a torn file lost ${torn.lost}, a file ahead of the work lost ${ahead.lost}, a crash between results and file repeated ${between.duplicated}; one transaction for both: ${atomic.lost}/${atomic.duplicated}`,
      zh: `写坏的文件丢 ${torn.lost} 条，超前于处理的文件丢 ${ahead.lost} 条，结果与文件之间的崩溃重复 ${between.duplicated} 条；两者放在一个事务里：${atomic.lost}/${atomic.duplicated}`,
    });
  });

export const D4 = (inputs: ClaimInputs) =>
  verdict('D4', inputs, (read) => {
    const kafka = read.row('rebalance-handoff', 'manual-commit');
    const file = read.row('rebalance-handoff', 'file-checkpoint');
    const zombieKafka = read.row('zombie-consumer', 'manual-commit');
    const zombieFile = read.row('zombie-consumer', 'file-checkpoint');
    const monitored = read.row('the-right-way', 'atomic-store+kafka');
    if (file.duplicated <= kafka.duplicated && zombieFile.duplicated <= zombieKafka.duplicated) return doesNotHold();
    return holds({
      en: `offsets that do not move with the partition: a rebalance repeated ${file.duplicated} (Kafka's commit ${kafka.duplicated}), a zombie ${zombieFile.duplicated} (${zombieKafka.duplicated}); what is given up can be put back: an atomic store that seeks on every assignment and also commits for lag tools got ${monitored.lost}/${monitored.duplicated}`,
      zh: `offset 不随分区移动：再均衡重复 ${file.duplicated} 条（Kafka 提交 ${kafka.duplicated} 条），僵尸消费者 ${zombieFile.duplicated} 条（${zombieKafka.duplicated} 条）；失去的东西可以补回来：每次分配都 seek、并为监控提交到 Kafka 的原子存储结果为 ${monitored.lost}/${monitored.duplicated}`,
    });
  });
