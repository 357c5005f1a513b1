import { hasLocalImage, type DockerEndpoint } from './docker.ts';
import { kafkaVersion } from './kafka-jars.ts';

/** The official image of the pinned version (pom.xml): apache/kafka:<version>. */
export const officialKafkaImage = (version = kafkaVersion()) => `apache/kafka:${version}`;

/** The image scripts/build-kafka-image.sh builds without any container registry. */
export const builtKafkaImage = (version = kafkaVersion()) => `kafka-offset-lab/kafka:${version}`;

/**
 * The images the container broker may run, best first: KAFKA_IMAGE alone when it is set (the
 * user named it), else the official image, then the one the build script makes.
 */
export function kafkaImageCandidates(env: NodeJS.ProcessEnv = process.env, version = kafkaVersion()): string[] {
  const named = env.KAFKA_IMAGE?.trim();
  return named ? [named] : [officialKafkaImage(version), builtKafkaImage(version)];
}

/** The image to pull when none of the candidates is present: the first (KAFKA_IMAGE, or the official one). */
export function kafkaImage(env: NodeJS.ProcessEnv = process.env): string {
  return kafkaImageCandidates(env)[0]!;
}

/** The first candidate present in `present`, else undefined. */
export function firstPresentImage(candidates: readonly string[], present: ReadonlySet<string> | undefined): string | undefined {
  return candidates.find((image) => present?.has(image));
}

/**
 * Which candidates the engine holds locally; undefined when it cannot be asked (no endpoint
 * this module can talk to, or an error other than "no such image").
 */
export async function presentKafkaImages(endpoint: DockerEndpoint | undefined, candidates: readonly string[]): Promise<Set<string> | undefined> {
  if (endpoint === undefined) return undefined;
  const present = new Set<string>();
  for (const image of candidates) {
    const found = await hasLocalImage(endpoint, image);
    if (found === undefined) return undefined;
    if (found) present.add(image);
  }
  return present;
}

/** A locally present candidate if there is one, else the first candidate (Docker pulls it). */
export async function chooseKafkaImage(endpoint: DockerEndpoint | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ image: string; present: boolean | undefined }> {
  const candidates = kafkaImageCandidates(env);
  const present = await presentKafkaImages(endpoint, candidates);
  const local = firstPresentImage(candidates, present);
  return local ? { image: local, present: true } : { image: candidates[0]!, present: present === undefined ? undefined : false };
}
