/**
 * CPU time of a server under load, for the sign-up benchmarks: what sizes a Node box or a Worker's
 * bill, and the figure that stays comparable when other work shares the machine (wall-clock
 * latency does not). A server reads its own (`process.cpuUsage`); a child runtime such as workerd
 * is read from /proc on Linux (undefined elsewhere: the benchmark then reports no CPU figure).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

/** The pids of this process's children named `name` (empty where /proc cannot be read). */
export function childPids(name: string): string[] {
  if (process.platform !== 'linux') return [];
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      const stat = procStat(pid);
      return stat !== undefined && stat.comm === name && Number(stat.fields[1]) === process.pid;
    });
}

/** CPU milliseconds (user + system) of the processes `pids` (those gone count nothing; undefined where /proc cannot be read). */
export function pidsCpuMs(pids: string[]): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let total = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat) total += ((Number(stat.fields[11]) + Number(stat.fields[12])) * 1000) / TICKS_PER_SECOND;
  }
  return total;
}

/** CPU milliseconds (user + system) of this process's children named `name`, e.g. 'workerd'. */
export function childCpuMs(name: string): number | undefined {
  return pidsCpuMs(childPids(name));
}

function procStat(pid: string): { comm: string; fields: string[] } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // "pid (comm) state ppid … utime stime …": comm may hold spaces, so split after its ')'.
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/**
 * Waits until `read` (a CPU total in ms) stops rising, so work a run left behind (the emails its
 * last requests deferred) is counted in that run and not in the next; gives the settled total.
 */
export async function settledCpuMs(read: () => Promise<number | undefined>): Promise<number | undefined> {
  let last = await read();
  if (last === undefined) return undefined;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = (await read())!;
    // Idle: under 2% of a core over the pause.
    if (now - last < 4) return now;
    last = now;
  }
  return last;
}
