/**
 * Owns every timer the emulator starts (state transitions, injected delays), so `close()` can cancel them all and
 * leave the event loop empty. One pending timer per key: scheduling a key again replaces the earlier timer, which
 * is how a newer transition (e.g. DELETE during CREATING) supersedes an older one.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private anonymous = 0;

  schedule(key: string, ms: number, fn: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, Math.max(0, ms));
    this.timers.set(key, timer);
  }

  /** A one-off timer that is still cancelled by `cancelAll`. */
  after(ms: number, fn: () => void): void {
    this.schedule(`anonymous:${++this.anonymous}`, ms, fn);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get pending(): number {
    return this.timers.size;
  }
}
