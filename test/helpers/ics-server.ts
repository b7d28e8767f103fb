// A small HTTP server on 127.0.0.1 serving an iCalendar feed the test changes at will, with ETag
// and Last-Modified like a real calendar server, and modes for the ways a feed fails.
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type IcsMode = 'ok' | 'error-503' | 'hang' | 'chunked';

export interface IcsServer {
  url: string;
  body: string;
  mode: IcsMode;
  /** Request headers seen, oldest first. */
  requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startIcsServer(body: string): Promise<IcsServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { body, mode: 'ok' as IcsMode, requests: [] as http.IncomingHttpHeaders[] };
  const server = http.createServer((req, res) => {
    state.requests.push(req.headers);
    if (state.mode === 'hang') return; // never answers
    if (state.mode === 'error-503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const etag = `"${createHash('sha256').update(state.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const bytes = Buffer.from(state.body, 'utf8');
    // chunked: no Content-Length, so only counting the body can find it too large
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag, 'last-modified': new Date(0).toUTCString(), ...(state.mode === 'chunked' ? {} : { 'content-length': String(bytes.length) }) });
    if (state.mode === 'chunked') {
      for (let i = 0; i < bytes.length; i += 4096) res.write(bytes.subarray(i, i + 4096));
      res.end();
    } else res.end(bytes);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/pmo.ics`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  }) as IcsServer;
}

const STOCKHOLM = `BEGIN:VTIMEZONE
TZID:Europe/Stockholm
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE`;

export interface IcsEvent {
  uid: string;
  summary: string;
  /** Property lines for the times, e.g. "DTSTART;TZID=Europe/Stockholm:20260312T180000". */
  times: string[];
  categories?: string;
  status?: string;
  sequence?: number;
}

/** A VCALENDAR as Outlook or Google would publish it (CRLF lines, a VTIMEZONE for Stockholm). */
export function ics(events: IcsEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Region Exempel//PMO-planering//SV', 'CALSCALE:GREGORIAN', STOCKHOLM];
  for (const e of events)
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      'DTSTAMP:20260301T080000Z',
      ...e.times,
      `SUMMARY:${e.summary}`,
      ...(e.categories ? [`CATEGORIES:${e.categories}`] : []),
      ...(e.status ? [`STATUS:${e.status}`] : []),
      ...(e.sequence !== undefined ? [`SEQUENCE:${e.sequence}`] : []),
      'END:VEVENT',
    );
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}
