import net from 'node:net';
import type * as Tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/**
 * kafkajs's own socket factory (network/socketFactory.js), except that Node's TLS module is
 * loaded only for a connection that uses TLS. kafkajs loads it when a client is created; on
 * this machine that is ~20 ms of every strategy process's start (a plain `require('tls')`:
 * 55 ms against 35 for an empty Node), and the lab starts ~140 of them for the catalogue.
 */
const keepAliveDelayMs = 60_000; // as kafkajs

export const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? (process.getBuiltinModule('node:tls') as typeof Tls).connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, keepAliveDelayMs);
  return socket;
};
