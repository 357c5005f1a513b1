/**
 * The claims of the answer under test (ids as in /work/shared/claims.md): the original
 * Chinese wording, quoted exactly, so a verdict shows what it judges; the English is ours.
 */
export const claimIds = ['B1', 'B2', 'B3', 'B4', 'D1', 'D2', 'D3', 'D4', 'S', 'C1', 'C2', 'C3', 'C4', 'C5', 'G1', 'G2'] as const;
export type ClaimId = (typeof claimIds)[number];

export const claimTexts: Record<ClaimId, { zh: string; en: string }> = {
  B1: {
    zh: "灵活性：你可以控制何时提交 offset，这样可以在处理数据时进行更多的自定义逻辑。例如，你可以在数据处理成功后再提交 offset，而不是在每次拉取后立即提交。",
    en: "flexibility: you decide when offsets are saved, e.g. only after processing succeeded",
  },
  B2: {
    zh: "故障恢复：如果消费者在处理数据时崩溃，你可以从 checkpoint 中恢复到最后处理的 offset，而不是从 Kafka 的提交 offset 恢复。这可以减少数据丢失的风险。",
    en: "after a crash you resume from the checkpoint instead of Kafka's commit, which lowers the risk of losing data",
  },
  B3: {
    zh: "批处理：你可以在处理完一批消息后再提交 offset，这样可以提高处理效率，尤其是在处理时间较长的操作时。",
    en: "saving once per batch is more efficient",
  },
  B4: {
    zh: "避免重复处理：通过手动管理 offset，你可以确保在处理失败时不会重复处理已经成功处理的消息。",
    en: "managing offsets yourself avoids processing messages twice",
  },
  D1: {
    zh: "复杂性：手动管理 offset 增加了系统的复杂性。你需要确保 checkpoint 的一致性和可靠性，处理失败时需要额外的逻辑来恢复状态。",
    en: "more complexity: the checkpoint must stay consistent and reliable",
  },
  D2: {
    zh: "性能问题：如果 checkpoint 的写入频率过高，可能会导致性能下降。每次写入都需要 I/O 操作，可能会影响整体处理速度。",
    en: "frequent checkpoint writes cost I/O and slow the consumer",
  },
  D3: {
    zh: "数据一致性：如果在处理数据时发生错误，而你没有正确地更新 checkpoint，可能会导致数据不一致或丢失。",
    en: "if the checkpoint is not updated correctly on errors, data is lost or inconsistent",
  },
  D4: {
    zh: "失去 Kafka 的内置功能：Kafka 提供了自动提交和手动提交的机制，使用 checkpoint 可能会失去这些内置的功能和优势。",
    en: "you give up Kafka's built-in offset machinery and its advantages",
  },
  S: {
    zh: "这种用法并不是 Kafka 的标准用法。……通常情况下，推荐使用 Kafka 提供的 offset 提交机制（无论是自动提交还是手动提交），因为它能够更好地与 Kafka 的分布式特性和容错机制集成。然而，在某些特定场景下（如需要更高的控制权或特定的业务逻辑），手动管理 offset 也是可以接受的。",
    en: "not the standard usage; Kafka's own commit is recommended; acceptable in special cases",
  },
  C1: {
    zh: "提交 offset 后，消费者将不会再拉取到已提交 offset 的数据。",
    en: "once committed, the consumer never fetches those messages again",
  },
  C2: {
    zh: "提交的 offset 是消费者在特定分区中的位置，指向下一个要处理的消息。",
    en: "the committed offset is the position of the next message to process",
  },
  C3: {
    zh: "如果你的消费者处理了 A、B、C，并提交了 offset 到 C，那么在下一次拉取时，消费者将从 D 开始拉取消息。",
    en: "\"processed A, B, C and committed offset C, so the next fetch starts at D\"",
  },
  C4: {
    zh: "如果你启用了自动提交（enable.auto.commit 设置为 true），Kafka 会定期提交 offset。在这种情况下，消费者可能会在处理消息之前就提交了 offset，这可能导致消息丢失。",
    en: "auto-commit may commit before processing and so lose messages",
  },
  C5: {
    zh: "如果你手动提交 offset，确保在提交之前已经成功处理了所有相关消息，以避免丢失数据。",
    en: "commit manually after processing to avoid loss",
  },
  G1: {
    zh: "如果你的多个服务属于不同的消费组，它们将各自维护自己的 offset。这意味着每个服务可以独立地处理消息，且不会相互影响。",
    en: "services in different groups keep their own offsets and each sees every message",
  },
  G2: {
    zh: "如果多个服务属于同一个消费组，Kafka 会将消息分配给组内的消费者。每个消费者会处理不同的分区，确保每条消息只被一个消费者处理。在这种情况下，所有消费者共享 offset，Kafka 会自动管理 offset 的提交。",
    en: "consumers in one group split the partitions; each message goes to one of them; offsets are shared",
  },
};
