import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Just enough of the Docker Engine API for the harness: is an engine there (fast, for the
 * broker choice), is an image there, and remove the containers carrying a label (the
 * watchdog's last resort).
 * testcontainers does the real work; this module never starts anything.
 */

/** Where a Docker engine answers: a unix socket, or plain HTTP on host:port. */
export type DockerEndpoint = { socketPath: string; where: string } | { host: string; port: number; where: string };

export type DockerProbe =
  /** endpoint is undefined when the engine is configured but this module cannot talk to it (TLS). */
  | { reachable: true; where: string; endpoint: DockerEndpoint | undefined }
  | { reachable: false; reason: string };

/** Injectable so that the broker choice is testable without an engine. */
export type DockerDetector = (env: NodeJS.ProcessEnv) => Promise<DockerProbe>;

/** The sockets testcontainers also looks at, in its order, after DOCKER_HOST. */
export function dockerSocketCandidates(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? homedir();
  return [
    '/var/run/docker.sock',
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    ...(typeof process.getuid === 'function' ? [`/run/user/${process.getuid()}/docker.sock`] : []),
  ];
}

/** DOCKER_HOST if set, else the first Docker socket that exists; undefined when there is none. */
export function findDockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint | { unsupported: string } | undefined {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length), where: `DOCKER_HOST=${dockerHost}` };
    const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(dockerHost);
    if (tcp && !env.DOCKER_TLS_VERIFY) return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]), where: `DOCKER_HOST=${dockerHost}` };
    return { unsupported: `DOCKER_HOST=${dockerHost}${env.DOCKER_TLS_VERIFY ? ' with DOCKER_TLS_VERIFY' : ''}` };
  }
  for (const socketPath of dockerSocketCandidates(env)) {
    try {
      if (statSync(socketPath).isSocket()) return { socketPath, where: socketPath };
    } catch {
      // not there
    }
  }
  return undefined;
}

/** One Engine API call; rejects on a connection error, a timeout or a status >= 400. */
export function dockerRequest(endpoint: DockerEndpoint, method: string, path: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const target = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
    const req = request({ ...target, method, path, timeout: timeoutMs, headers: { host: 'docker' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => ((res.statusCode ?? 500) < 400 ? resolve(body) : reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${body.trim()}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Is this image in the engine's local store (GET /images/{name}/json, the engine resolves the
 * name as `docker run` would)? undefined when the engine could not be asked.
 */
export async function hasLocalImage(endpoint: DockerEndpoint, image: string): Promise<boolean | undefined> {
  try {
    await dockerRequest(endpoint, 'GET', `/images/${encodeURIComponent(image)}/json`);
    return true;
  } catch (error) {
    return /HTTP 404/.test((error as Error).message) ? false : undefined;
  }
}

/**
 * Is a Docker engine reachable? Looks at DOCKER_HOST or the usual sockets and pings the
 * engine (GET /_ping) with a short timeout: well under a second either way.
 */
export const probeDockerEngine: DockerDetector = async (env) => {
  const endpoint = findDockerEndpoint(env);
  if (endpoint === undefined) {
    return { reachable: false, reason: `no Docker socket (looked for DOCKER_HOST and ${dockerSocketCandidates(env).join(', ')})` };
  }
  // TLS: left to testcontainers, which reads the same variables
  if ('unsupported' in endpoint) return { reachable: true, where: endpoint.unsupported, endpoint: undefined };
  try {
    const answer = await dockerRequest(endpoint, 'GET', '/_ping', 700);
    if (answer.trim() === 'OK') return { reachable: true, where: endpoint.where, endpoint };
    return { reachable: false, reason: `the Docker engine at ${endpoint.where} answered "${answer.trim().slice(0, 60)}" to a ping` };
  } catch (error) {
    return { reachable: false, reason: `the Docker engine at ${endpoint.where} does not answer (${(error as Error).message})` };
  }
};

/** Removes (forcibly, with volumes) every container that carries label key=value. */
export async function removeContainersByLabel(endpoint: DockerEndpoint, label: string): Promise<number> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  const list = JSON.parse(await dockerRequest(endpoint, 'GET', `/containers/json?all=1&filters=${filters}`)) as Array<{ Id: string }>;
  for (const { Id } of list) {
    await dockerRequest(endpoint, 'DELETE', `/containers/${Id}?force=1&v=1`, 30_000).catch((error: Error) => {
      if (!/HTTP (404|409)/.test(error.message)) throw error; // already gone, or being removed
    });
  }
  return list.length;
}

const thisFile = fileURLToPath(import.meta.url);

/**
 * Starts a detached watchdog process that holds a pipe from this process. When the pipe
 * closes — stop() closes it, and so does the kernel when this process dies in any way, even
 * SIGKILL — it removes every container carrying `label`. The same job as testcontainers'
 * Ryuk, without an extra image. Its own process group keeps Ctrl-C away from it.
 */
export function startContainerWatchdog(endpoint: DockerEndpoint, label: string): { release(): Promise<void> } {
  const child: ChildProcess = spawn(process.execPath, [thisFile, 'watchdog', JSON.stringify(endpoint), label], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.on('error', () => {}); // best effort: stop() removes the container itself anyway
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    async release() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function watchdogMain(endpointJson: string, label: string): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
  const endpoint = JSON.parse(endpointJson) as DockerEndpoint;
  process.stdin.resume();
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.stdin.once('error', () => resolve());
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await removeContainersByLabel(endpoint, label);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  process.exit(0);
}

if (process.argv[1] === thisFile && process.argv[2] === 'watchdog' && existsSync(thisFile)) {
  await watchdogMain(process.argv[3] ?? '{}', process.argv[4] ?? '');
}
