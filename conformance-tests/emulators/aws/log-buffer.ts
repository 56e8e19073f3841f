/** The last lines a function printed (plus Lambda's START/END/REPORT lines), for debugging and log tails. */

export class LogBuffer {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();

  constructor(
    private readonly label: string,
    private readonly limit = 500,
    /** Echo every line to stderr (FAASPORT_DEBUG). */
    private readonly echo = false,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    if (this.echo) process.stderr.write(`[aws:${this.label}] ${line}\n`);
    for (const listener of this.listeners) listener(line);
  }

  /** Collects every line pushed until the returned function is called; it returns them. */
  capture(): () => string[] {
    const seen: string[] = [];
    const listener = (line: string): void => {
      seen.push(line);
    };
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      return seen;
    };
  }

  tail(count = this.limit): string[] {
    return this.lines.slice(-count);
  }
}

/** Splits a byte stream into lines, keeping a partial last line until it completes. */
export function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer): void; flush(): void } {
  let partial = '';
  return {
    write(chunk) {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    },
    flush() {
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}
