import type { FeatureDefinition, PortKind } from '../definitions/DataDefinition.ts';
import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { Stream } from '../stream/Stream.ts';
import type { LoopBudget } from './LoopBudget.ts';
import {
  OnEventStream,
  UserEntryGuard,
  UserExitGuard,
  recordFailure,
  type UserNodeContext,
} from './userNodeStreams.ts';
import type {
  UserFailure,
  UserFeatureManifest,
  UserFeatureSpec,
  UserStreamInput,
} from './UserFeatureSpec.ts';

/** Where a user definition came from: what export embeds and workers recompile. */
export interface UserDefinitionSource {
  /** The module text as the user wrote it (TypeScript or JavaScript). */
  readonly source: string;
  /** Content hash of `source` (`hashText`): part of every feature key built from it. */
  readonly hash: string;
  /** The API version it was compiled against. */
  readonly apiVersion: number;
}

/** A compiled user definition: a FeatureDefinition that also carries its source. */
export interface UserFeatureDefinition extends FeatureDefinition {
  readonly user: UserDefinitionSource & {
    readonly manifest: UserFeatureManifest;
    /**
     * False for code from an imported file or a share link that the user has not yet read and
     * trusted: its nodes are drawn but not run (session/runIssues). Absent: trusted.
     */
    readonly trusted?: boolean;
  };
}

export function isUserDefinition(def: unknown): def is UserFeatureDefinition {
  return typeof def === 'object' && def !== null && 'user' in def;
}

/** The plain-data part of a spec (no functions): what the main thread may hold. */
export function manifestOf(spec: UserFeatureManifest): UserFeatureManifest {
  const { name, title, description, params, inputs, output } = spec;
  return structuredClone({ name, title, description, params, inputs, output });
}

/** The single number field of a scalar upstream, from its schema. */
function scalarField(f: Feature): string | undefined {
  if (f.definition.outputKind(f.params) !== 'scalar') return undefined;
  return Object.keys(f.definition.outputSchema(f.params))[0];
}

/**
 * Turn a checked spec into a FeatureDefinition. The definition's `revision` is the source hash,
 * so editing the code changes every feature key built from it (and a live edit rebuilds exactly
 * the workers that compute it). `onFailure` hears each node that fails (the node's own state
 * keeps the failure too).
 */
export function userFeatureDefinition(
  spec: UserFeatureSpec,
  from: UserDefinitionSource,
  budget: LoopBudget,
  onFailure?: (f: UserFailure) => void,
): UserFeatureDefinition {
  const manifest = manifestOf(spec);
  const base: UserNodeContext = { spec, budget, onFailure };
  const slotNames = spec.inputs.map((s) => s.name);
  return {
    kind: 'feature',
    name: spec.name,
    title: spec.title,
    group: 'transforms',
    description: spec.description,
    params: manifest.params,
    revision: from.hash,
    depSchemas: { [slotNames.join('_')]: manifest.inputs },
    outputKind: () => manifest.output.kind,
    outputSchema: () => manifest.output.schema,
    user: { ...from, manifest },
    stream(upstreams, params) {
      const ctx: UserNodeContext = { ...base, params };
      const entries = [...upstreams];
      if (spec.onEvent) {
        return new OnEventStream(
          entries.map(([, s]) => s),
          entries.map((_, i) => slotNames[i] ?? `input${i}`),
          params,
          ctx,
        );
      }
      const guards = entries.map(([, s], i) => new UserEntryGuard(s, slotNames[i]!, ctx));
      const inputs: Record<string, UserStreamInput> = {};
      entries.forEach(([f], i) => {
        inputs[slotNames[i]!] = {
          stream: guards[i]!,
          kind: f.definition.outputKind(f.params) as PortKind,
          field: scalarField(f),
        };
      });
      let out: Stream<Event>;
      let wiringError: unknown;
      try {
        budget.reset();
        out = spec.stream!(inputs, params);
        if (!(out instanceof Stream)) throw new Error('stream() must return a stream');
      } catch (e) {
        wiringError = e;
        out = new Stream<Event>();
      }
      const exit = new UserExitGuard(out, ctx);
      guards.forEach((g) => (g.exit = exit));
      if (wiringError !== undefined) {
        recordFailure(ctx, exit.state, new Error(`stream: ${String(wiringError)}`));
      }
      return exit;
    },
  };
}
