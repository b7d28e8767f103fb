// A TCP proxy in front of a test printer that can hold back one Print-Job request — as a loaded
// printer does that has the request in its socket buffer but has not read it yet — and hand it on
// later, even though the client that sent it is gone. Everything else passes straight through.
// It reproduces, without relying on the machine's load, the duplicate seen on loaded machines: the
// station died right after sending, restarted, looked for the send on the printer before the
// printer had made a job of it, and sent it again.
import net from 'node:net';

const PRINT_JOB = 0x0002;
const GET_JOBS = 0x000a;

export interface HoldingProxy {
  /** ipp://127.0.0.1:PORT/ipp/print */
  readonly uri: string;
  readonly port: number;
  /** Holds the next Print-Job; resolves once all of its bytes have arrived at the proxy. */
  holdNextPrintJob(): Promise<void>;
  /** Hands the held request on once the next Get-Jobs exchange has ended (the restarted station looked and missed it). */
  releaseAfterNextGetJobs(): void;
  /** Whether the held request has been handed on. */
  readonly released: boolean;
  close(): Promise<void>;
}

export async function startHoldingProxy(targetPort: number): Promise<HoldingProxy> {
  let armed: (() => void) | undefined;
  let held: { data: Buffer[]; client: net.Socket } | undefined;
  let releaseOnGetJobs = false;
  let released = false;
  const sockets = new Set<net.Socket>();

  const forward = (client: net.Socket, first: Buffer[]): void => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => sockets.delete(upstream));
    for (const b of first) upstream.write(b);
    client.on('data', (d) => upstream.write(d));
    client.on('end', () => upstream.end());
    upstream.on('data', (d) => {
      if (!client.destroyed) client.write(d);
    });
    upstream.on('end', () => client.end());
  };

  const release = (): void => {
    if (!held || released) return;
    released = true;
    const h = held;
    // The client may be long gone: the printer still reads and acts on the request.
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('error', () => undefined);
    upstream.on('close', () => sockets.delete(upstream));
    for (const b of h.data) upstream.write(b);
    upstream.on('data', (d) => {
      if (!h.client.destroyed) h.client.write(d);
    });
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    const chunks: Buffer[] = [];
    let holding = false;
    /** Resolves holdNextPrintJob once the held request has all its bytes. */
    const checkComplete = (): void => {
      const all = Buffer.concat(chunks);
      const headEnd = all.indexOf('\r\n\r\n');
      const length = Number(/content-length:\s*(\d+)/i.exec(all.subarray(0, headEnd).toString())?.[1] ?? -1);
      if (length >= 0 && all.length - headEnd - 4 >= length) {
        const a = armed;
        armed = undefined;
        a?.();
      }
    };
    const onData = (d: Buffer): void => {
      chunks.push(d);
      if (holding) return checkComplete();
      const all = Buffer.concat(chunks);
      const headEnd = all.indexOf('\r\n\r\n');
      // Wait for the HTTP header and the IPP version + operation id.
      if (headEnd < 0 || all.length < headEnd + 4 + 4) return;
      const op = all.readUInt16BE(headEnd + 4 + 2);
      if (op === PRINT_JOB && armed && !held) {
        holding = true;
        held = { data: chunks, client };
        return checkComplete();
      }
      client.off('data', onData);
      if (op === GET_JOBS && releaseOnGetJobs && held) {
        releaseOnGetJobs = false;
        client.once('close', release);
      }
      forward(client, chunks);
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    port,
    holdNextPrintJob() {
      return new Promise<void>((resolve) => {
        armed = resolve;
      });
    },
    releaseAfterNextGetJobs() {
      releaseOnGetJobs = true;
    },
    get released() {
      return released;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
