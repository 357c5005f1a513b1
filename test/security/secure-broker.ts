import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startLocalJvmBroker } from '../../src/broker/local-jvm.ts';

/**
 * A broker from the same jars as every other, with a SASL_PLAINTEXT listener (PLAIN and
 * SCRAM-SHA-256) and a TLS (SSL) listener besides its PLAINTEXT one: what a company's
 * cluster asks of a client. Users and certificates are made here, in `dir`.
 */
export const users = {
  plain: { username: 'alice', password: 'alice-secret' },
  scram: { username: 'bob', password: 'bob-secret' },
};

/**
 * A self-signed certificate for 127.0.0.1 (its PEM for clients) in a PKCS12 keystore for the
 * broker. Made with openssl, not the JDK's keytool: two keytool runs were two JVM starts, ~1.5
 * CPU-s each, per certificate (process accounting); openssl makes both files in ~0.1 s.
 */
export function makeCertificate(dir: string, name: string): { keystore: string; pem: string; password: string } {
  const keystore = join(dir, `${name}.p12`);
  const pem = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const password = `${name}-store-secret`;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', pem, '-subj', `/CN=127.0.0.1/O=kafka-offset-lab ${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=critical,CA:true');
  openssl('pkcs12', '-export', '-name', name, '-in', pem, '-inkey', key, '-out', keystore, '-passout', `pass:${password}`);
  return { keystore, pem, password };
}

export async function startSecureBroker(dir: string) {
  const certificate = makeCertificate(dir, 'broker');
  const broker = await startLocalJvmBroker({
    logPath: join(dir, 'broker.log'),
    // SCRAM credentials live in the cluster metadata: written by the storage format (KRaft).
    formatArgs: ['--add-scram', `SCRAM-SHA-256=[name=${users.scram.username},password=${users.scram.password}]`],
    extraListeners: [
      {
        protocol: 'SASL_PLAINTEXT',
        settings: {
          'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config':
            `org.apache.kafka.common.security.plain.PlainLoginModule required user_${users.plain.username}="${users.plain.password}";`,
          'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        },
      },
      {
        protocol: 'SSL',
        settings: {
          'listener.name.ssl.ssl.keystore.type': 'PKCS12',
          'listener.name.ssl.ssl.keystore.location': certificate.keystore,
          'listener.name.ssl.ssl.keystore.password': certificate.password,
          'listener.name.ssl.ssl.key.password': certificate.password,
          'listener.name.ssl.ssl.client.auth': 'none',
        },
      },
    ],
  });
  return { broker, sasl: broker.listeners.SASL_PLAINTEXT!, ssl: broker.listeners.SSL!, caFile: certificate.pem };
}
