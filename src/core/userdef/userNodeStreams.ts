import type { EventSchema } from '../definitions/DataDefinition.ts';
import type { Event } from '../events.ts';
import type { ResolvedParams } from '../params/ParamSchema.ts';
import { Stream } from '../stream/Stream.ts';
import type { LoopBudget } from './LoopBudget.ts';
import type { UserFailure, UserFeatureSpec } from './UserFeatureSpec.ts';

/** What the node streams need from their compiled definition. */
export interface UserNodeContext {
  readonly spec: UserFeatureSpec;
  /** The node's resolved params (reported with a failure). */
  readonly params?: ResolvedParams;
  readonly budget: LoopBudget;
  readonly onFailure: ((f: UserFailure) => void) | undefined;
}

/** The node's failure, kept in its state so checkpoints and replay seeks carry it. */
export interface FailureState {
  failed: { message: string; slot?: string; event?: Event } | null;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
}

export function recordFailure(
  ctx: UserNodeContext,
  state: FailureState,
  e: unknown,
  slot?: string,
  event?: Event,
): void {
  const message = messageOf(e);
  state.failed = {
    message,
    ...(slot !== undefined ? { slot } : {}),
    ...(event !== undefined ? { event } : {}),
  };
  ctx.onFailure?.({
    definition: ctx.spec.name,
    ...(ctx.params !== undefined ? { params: ctx.params } : {}),
    ...state.failed,
  });
}

/** Checks an output against the schema: the reason it does not fit, or undefined. */
export type OutputCheck = (out: Record<string, unknown>) => string | undefined;

/**
 * An {@link OutputCheck} for `schema`, with the schema's fields and types read once (this runs on
 * every output of every user node).
 */
export function outputCheck(schema: EventSchema): OutputCheck {
  const fields = Object.keys(schema);
  const types = fields.map((f) => schema[f]!);
  return (out) => {
    if (typeof out !== 'object' || out === null) return `returned ${String(out)}, not an object`;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const type = types[i]!;
      const v = out[field];
      if (type === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v))
          return `returned ${field} = ${String(v)}: output numbers must be finite (return undefined for no output)`;
      } else if (type === 'string' || type === 'boolean') {
        if (typeof v !== type) return `returned ${field} = ${String(v)}, not a ${type}`;
      } else if (!Array.isArray(v)) return `returned ${field} = ${String(v)}, not a list`;
    }
    return undefined;
  };
}

interface OnEventState extends FailureState {
  user: unknown;
}

/**
 * The `init`/`onEvent` form: one stateful operator over every input slot (port i = slot i). User
 * code runs inside try/catch: a throw, a spent loop budget or a malformed output fails this node
 * only (it then ignores its inputs); downstream errors are not caught here.
 */
export class OnEventStream extends Stream<Event> {
  override readonly kind = 'userFeature';
  override readonly stateful = true;
  private state: OnEventState = { failed: null, user: null };
  private readonly fields: readonly string[];
  private readonly check: OutputCheck;

  constructor(
    ups: readonly Stream<Event>[],
    private readonly slots: readonly string[],
    private readonly params: ResolvedParams,
    private readonly ctx: UserNodeContext,
  ) {
    super(ups as readonly Stream<unknown>[]);
    this.fields = Object.keys(ctx.spec.output.schema);
    this.check = outputCheck(ctx.spec.output.schema);
    try {
      ctx.budget.reset();
      const user = ctx.spec.init!(params);
      // Fail now, with a clear reason, rather than at the first checkpoint.
      this.state.user = structuredClone(user);
    } catch (e) {
      recordFailure(ctx, this.state, new Error(`init: ${messageOf(e)}`));
    }
  }

  override update(x: unknown, port: number): void {
    const s = this.state;
    if (s.failed !== null) return;
    const input = x as Event;
    const slot = this.slots[port]!;
    let out: Record<string, unknown> | undefined;
    try {
      this.ctx.budget.reset();
      out = this.ctx.spec.onEvent!(s.user, input, slot, this.params) as typeof out;
      if (out === undefined) return;
      const problem = this.check(out);
      if (problem !== undefined) throw new Error(`onEvent ${problem}`);
    } catch (e) {
      recordFailure(this.ctx, s, e, slot, input);
      return;
    }
    const ev: Record<string, unknown> = {
      timestamp: input.timestamp,
      receipt_timestamp: input.receipt_timestamp,
    };
    for (const f of this.fields) ev[f] = out[f];
    this.emit(ev as unknown as Event);
  }

  override getState(): unknown {
    return this.state;
  }

  override setState(state: unknown): void {
    this.state = state as OnEventState;
  }
}

/** A downstream error passing back up through a user stream's operators: not the node's fault. */
class DownstreamError {
  constructor(readonly inner: unknown) {}
}

/**
 * The stream form's exit: checks each output against the schema and holds the node's failure
 * state. Errors of the nodes below pass through it wrapped, so the entry guard re-throws them
 * instead of failing this node.
 */
export class UserExitGuard extends Stream<Event> {
  override readonly kind = 'userExit';
  override readonly stateful = true;
  state: FailureState = { failed: null };
  private readonly check: OutputCheck;

  constructor(up: Stream<Event>, ctx: UserNodeContext) {
    super([up as Stream<unknown>]);
    this.check = outputCheck(ctx.spec.output.schema);
  }

  override update(x: unknown): void {
    if (this.state.failed !== null) return;
    const e = x as Record<string, unknown>;
    const problem = this.check(e);
    if (problem !== undefined) throw new Error(`stream ${problem}`);
    if (typeof e.timestamp !== 'number' || typeof e.receipt_timestamp !== 'number')
      throw new Error('stream output lacks timestamp/receipt_timestamp (copy them from the input)');
    try {
      this.emit(x as Event);
    } catch (err) {
      throw new DownstreamError(err);
    }
  }

  override getState(): unknown {
    return this.state;
  }

  override setState(state: unknown): void {
    this.state = state as FailureState;
  }
}

/** The stream form's entry on one input slot: resets the budget and contains user errors. */
export class UserEntryGuard extends Stream<Event> {
  override readonly kind = 'userEntry';
  exit: UserExitGuard | undefined;

  constructor(
    up: Stream<Event>,
    private readonly slot: string,
    private readonly ctx: UserNodeContext,
  ) {
    super([up as Stream<unknown>]);
  }

  override update(x: unknown): void {
    const exit = this.exit!;
    if (exit.state.failed !== null) return;
    try {
      this.ctx.budget.reset();
      this.emit(x as Event);
    } catch (e) {
      if (e instanceof DownstreamError) throw e.inner;
      recordFailure(this.ctx, exit.state, e, this.slot, x as Event);
    }
  }
}
