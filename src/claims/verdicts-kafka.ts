/**
 * Verdicts on "is it standard" (S), on Kafka's commits (C1–C5) and on groups (G1–G2): each a
 * small pure function of this run's numbers.
 */
import { doesNotHold, holds, holdsOnlyWhen, verdict, type ClaimInputs } from './evidence.ts';

export const S = (inputs: ClaimInputs) =>
  verdict('S', inputs, (read) => {
    const file = read.row('the-right-way', 'file-checkpoint');
    const kafka = read.row('crash-mid-batch', 'manual-commit');
    const right = ['atomic-store', 'kafka-transactions', 'idempotent-sink'].map((row) => read.row('the-right-way', row));
    const rightOk = right.every((r) => r.lost === 0 && r.duplicated === 0);
    if (!rightOk) return holds({ en: 'offsets kept outside Kafka did no better than its commit here', zh: '在这里，Kafka 之外保存的 offset 并不比 Kafka 提交更好' });
    if (file.duplicated === 0 && file.lost === 0) return doesNotHold({ en: 'even checkpoint.json had 0 lost / 0 duplicated here', zh: '这里连 checkpoint.json 也是丢 0、重复 0' });
    return holdsOnlyWhen({
      en: `the external store is a file written apart from the results (checkpoint.json: ${file.lost} lost / ${file.duplicated} duplicated). Offsets stored atomically with the results are the pattern Kafka's own docs describe, and did better than Kafka's commit alone (atomic-store, kafka-transactions, idempotent-sink: 0/0 effects; manual commit repeated ${kafka.duplicated})`,
      zh: `外部存储是与结果分开写的文件时（checkpoint.json：丢 ${file.lost}、重复 ${file.duplicated}）。offset 与结果原子地存在一起正是 Kafka 官方文档描述的做法，而且比单纯的 Kafka 提交更好（atomic-store、kafka-transactions、idempotent-sink：结果 0/0；手动提交重复 ${kafka.duplicated} 条）`,
    });
  });

export const C1 = (inputs: ClaimInputs) =>
  verdict('C1', inputs, (read) => {
    const resumes = read.row('seek-replay', 'resumes');
    const again = ['offset-reset', 'new-group', 'seek-back'].map((row) => ({ row, n: read.row('seek-replay', row).duplicated }));
    if (resumes.duplicated > 0) return doesNotHold({ en: `the same group fetched ${resumes.duplicated} committed messages again`, zh: `同一个消费组又拉取了 ${resumes.duplicated} 条已提交的消息` });
    const reread = again.filter((a) => a.n > 0);
    if (reread.length === 0) return holds();
    return holdsOnlyWhen({
      en: `the same group resumes, with no seek and no offset reset: it re-read 0, while ${reread.map((a) => `${a.row} re-read ${a.n}`).join(', ')}`,
      zh: `同一个消费组恢复、没有 seek、没有重置 offset 时：它重读 0 条；而 ${reread.map((a) => `${a.row} 重读 ${a.n} 条`).join('，')}`,
    });
  });

export const C2 = (inputs: ClaimInputs) =>
  verdict('C2', inputs, (read) => {
    const resumes = read.row('seek-replay', 'resumes');
    const next = read.row('off-by-one-commit', 'commit offset+1');
    const processed = read.row('off-by-one-commit', 'commit offset');
    if (resumes.duplicated === 0 && processed.duplicated > next.duplicated) {
      return holds({ en: `committing offset+1 resumed exactly after the work (${next.duplicated} repeated = the unsaved part); committing the processed offset repeated ${processed.duplicated - next.duplicated} more`, zh: `提交 offset+1 恰好从处理完的下一条继续（重复 ${next.duplicated} 条 = 未保存的部分）；提交已处理的 offset 多重复了 ${processed.duplicated - next.duplicated} 条` });
    }
    return doesNotHold();
  });

export const C3 = (inputs: ClaimInputs) =>
  verdict('C3', inputs, (read) => {
    const next = read.row('off-by-one-commit', 'commit offset+1');
    const processed = read.row('off-by-one-commit', 'commit offset');
    if (processed.duplicated <= next.duplicated) return holds();
    return holdsOnlyWhen({
      en: `"offset C" means C+1, the next message: committing C itself started again at C (${processed.duplicated} repeated against ${next.duplicated})`,
      zh: `“提交到 C”指的是提交 C+1（下一条消息）时：真的提交 C，下次从 C 开始（重复 ${processed.duplicated} 条，对比 ${next.duplicated} 条）`,
    });
  });

export const C4 = (inputs: ClaimInputs) =>
  verdict('C4', inputs, (read) => {
    const awaited = read.row('auto-commit-async', 'awaited');
    const handedOff = read.row('auto-commit-async', 'handed-off');
    const plain = read.row('crash-mid-batch', 'auto-commit');
    if (handedOff.lost === 0 && awaited.lost === 0) return doesNotHold({ en: `auto-commit lost nothing (it repeated ${awaited.duplicated})`, zh: `自动提交没有丢消息（重复 ${awaited.duplicated} 条）` });
    if (awaited.lost > 0) return holds();
    return holdsOnlyWhen({
      en: `processing is handed off asynchronously (the handler returns before the work is done): ${handedOff.lost} lost; with awaited processing auto-commit lost ${awaited.lost} and ${plain.lost} and repeated ${awaited.duplicated} and ${plain.duplicated}`,
      zh: `处理被异步移交时（处理函数在工作完成前就返回）：丢 ${handedOff.lost} 条；等待处理完成时自动提交丢 ${awaited.lost} 和 ${plain.lost} 条，重复 ${awaited.duplicated} 和 ${plain.duplicated} 条`,
    });
  });

export const C5 = (inputs: ClaimInputs) =>
  verdict('C5', inputs, (read) => {
    const after = read.row('commit-before-process', 'commit-after-process');
    const before = read.row('commit-before-process', 'commit-before-process');
    const kafka = read.row('crash-mid-batch', 'manual-commit');
    if (after.lost > 0 || kafka.lost > 0) return doesNotHold();
    return holds({
      en: `committing after processing lost 0 (committing before lost ${before.lost}); it avoids loss, not repeats: ${after.duplicated} and ${kafka.duplicated} processed twice`,
      zh: `处理后提交丢 0 条（处理前提交丢 ${before.lost} 条）；它避免的是丢失，不是重复：${after.duplicated} 和 ${kafka.duplicated} 条被处理了两次`,
    });
  });

export const G1 = (inputs: ClaimInputs) =>
  verdict('G1', inputs, (read) => {
    const a = read.row('two-services', 'service-A');
    const b = read.row('two-services', 'service-B');
    const fresh = read.row('seek-replay', 'new-group');
    const sharedLost = read.row('two-services', 'shared-file-A').lost + read.row('two-services', 'shared-file-B').lost;
    if (a.lost > 0 || b.lost > 0) return doesNotHold({ en: `services in their own groups lost ${a.lost} and ${b.lost}`, zh: `各自消费组中的服务丢了 ${a.lost} 和 ${b.lost} 条` });
    const own = { en: `services in their own groups each lost 0; a new group read all ${fresh.duplicated} again`, zh: `各自消费组中的服务都丢 0 条；新的消费组把 ${fresh.duplicated} 条全部重新读了一遍` };
    if (sharedLost === 0) return holds(own);
    return holdsOnlyWhen({
      en: `each service keeps its own offsets (its own group, its own store): ${own.en}; two services sharing one checkpoint file lost ${sharedLost}`,
      zh: `每个服务各自保存 offset（自己的消费组、自己的存储）时：${own.zh}；两个服务共用一个 checkpoint 文件丢了 ${sharedLost} 条`,
    });
  });

export const G2 = (inputs: ClaimInputs) =>
  verdict('G2', inputs, (read) => {
    const kafka = read.row('rebalance-handoff', 'manual-commit');
    const file = read.row('rebalance-handoff', 'file-checkpoint');
    const zombie = read.row('zombie-consumer', 'manual-commit');
    if (kafka.lost > 0) return doesNotHold({ en: `the group lost ${kafka.lost} when a member died`, zh: `成员死亡时消费组丢了 ${kafka.lost} 条` });
    if (kafka.duplicated === 0 && zombie.duplicated === 0) return holds();
    return holdsOnlyWhen({
      en: `no member dies or stalls mid-batch, and offsets are Kafka commits: a partition moved after a crash repeated ${kafka.duplicated} since its last commit, a frozen zombie ${zombie.duplicated}; per-instance checkpoint files do not move with the partition (${file.duplicated} repeated)`,
      zh: `没有成员在批次中途死掉或卡住、并且 offset 用 Kafka 提交时：崩溃后移交的分区从上次提交起重复 ${kafka.duplicated} 条，被冻结的僵尸重复 ${zombie.duplicated} 条；每个实例自己的 checkpoint 文件不会随分区移动（重复 ${file.duplicated} 条）`,
    });
  });
