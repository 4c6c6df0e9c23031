/**
 * Loop iterations one input may cost a user definition. Counted, not timed: a definition that
 * spins stops at the same iteration live, in replay, in batch and on any number of workers, so
 * outputs stay identical. 10⁷ simple iterations take ~10–50 ms, far above any honest feature.
 */
export const DEFAULT_LOOP_BUDGET = 10_000_000;

/** Thrown by the injected tick once a definition spent its budget on one input. */
export class LoopBudgetExceeded extends Error {
  override readonly name = 'LoopBudgetExceeded';
}

/**
 * The loop counter of one compiled module. `tick` is injected at the top of every loop body,
 * `catch` and `finally` block (rewriteModule); `reset` runs before each input, `init` and wiring.
 * Once spent, every tick throws, so user code that catches the error cannot keep spinning.
 */
export class LoopBudget {
  private left: number;

  constructor(readonly limit: number = DEFAULT_LOOP_BUDGET) {
    this.left = limit;
  }

  reset(): void {
    this.left = this.limit;
  }

  readonly tick = (): void => {
    if (--this.left < 0) {
      throw new LoopBudgetExceeded(
        `stopped after ${this.limit} loop iterations on one input (an endless loop?)`,
      );
    }
  };
}
