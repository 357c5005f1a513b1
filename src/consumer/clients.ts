/** The Kafka clients the lab can run a strategy on (`--client`). */
export const clientNames = ['kafkajs', 'platformatic'] as const;
export type ClientName = (typeof clientNames)[number];
export const defaultClient: ClientName = 'kafkajs';

/** How the report names a client. */
export const clientLabel: Record<ClientName, string> = {
  kafkajs: 'kafkajs 2.2.4',
  platformatic: '@platformatic/kafka',
};
