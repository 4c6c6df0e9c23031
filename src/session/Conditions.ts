/**
 * Promises of conditions over state that changes when workers report: each waiter is checked
 * at every {@link wake}, and all resolve once the run ends (`ended`).
 */
export class Conditions {
  private readonly waiters = new Set<() => void>();

  constructor(private readonly ended: () => boolean) {}

  /** Resolves once `cond` holds (checked at each {@link wake}), or the run ended. */
  until(cond: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (cond() || this.ended()) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
