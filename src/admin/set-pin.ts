// `npm run -s set-pin`: asks for the admin PIN twice (hidden) and prints its hash for the config
// file's admin.pinHash. Piped input works too (one line, e.g. from a secrets store):
//   printf '%s\n' "$PIN" | npm run -s set-pin
// The PIN itself is never printed, written or passed on the command line.
import { createInterface } from 'node:readline';
import { hashPin, pinProblem } from './pin.js';

async function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          reject(new Error('avbrutet'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(): Promise<void> {
  let pin: string;
  if (process.stdin.isTTY) {
    pin = (await readHidden('Ny PIN-kod för administrationen (6–12 siffror): ')).trim();
    const again = (await readHidden('Samma PIN-kod igen: ')).trim();
    if (pin !== again) throw new Error('PIN-koderna var inte lika.');
  } else {
    pin = (await readLine()).trim();
  }
  const problem = pinProblem(pin);
  if (problem) throw new Error(problem);
  const hash = await hashPin(pin);
  process.stdout.write(`${hash}\n`);
  if (process.stdout.isTTY || process.stdin.isTTY)
    process.stderr.write(`\nLägg in i stationens konfiguration:\n  "admin": { "pinHash": "${hash}" }\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`set-pin: ${(e as Error).message}\n`);
  process.exit(1);
});
