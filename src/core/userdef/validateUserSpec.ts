import { resolveParams } from '../params/ParamSchema.ts';

const PORT_KINDS = ['trades', 'ticker', 'l2_book', 'l2_snapshot', 'scalar', 'ohlcv', 'record'];
const FIELD_TYPES = ['number', 'string', 'boolean', 'levels', 'orders'];
const PARAM_TYPES = ['number', 'duration', 'string', 'enum', 'boolean', 'sampling'];
const RESERVED_FIELDS = ['timestamp', 'receipt_timestamp'];
/** `group.snake_name` like the built-ins: lowercase words joined by dots. */
const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const SLOT = /^[a-z_][a-z0-9_]*$/i;

/** A definition that does not declare what the API requires; the message names the field. */
export class UserSpecError extends Error {
  override readonly name = 'UserSpecError';
}

function fail(field: string, message: string): never {
  throw new UserSpecError(`defineFeature: ${field}: ${message}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stringField(spec: Record<string, unknown>, field: string): void {
  if (typeof spec[field] !== 'string' || (spec[field] as string).trim() === '')
    fail(field, 'expected a non-empty string');
}

/**
 * Check what `defineFeature` was given: identity, params schema (defaults must resolve),
 * typed inputs, output kind and schema, and exactly one form of logic. Throws a
 * {@link UserSpecError} naming the field.
 */
export function validateUserSpec(spec: unknown): void {
  if (!isRecord(spec)) fail('spec', 'expected an object');
  stringField(spec, 'name');
  if (!NAME.test(spec.name as string))
    fail('name', `"${String(spec.name)}" must be dotted lowercase words, e.g. "my.mid_price"`);
  stringField(spec, 'title');
  stringField(spec, 'description');
  if (!isRecord(spec.params)) fail('params', 'expected an object of param specs ({} for none)');
  for (const [name, p] of Object.entries(spec.params)) {
    if (!isRecord(p) || !PARAM_TYPES.includes(p.type as string))
      fail(`params.${name}.type`, `expected one of ${PARAM_TYPES.join(' | ')}`);
    if (typeof p.description !== 'string') fail(`params.${name}.description`, 'expected a string');
    if (p.type === 'enum' && !(Array.isArray(p.values) && p.values.length > 0))
      fail(`params.${name}.values`, 'an enum needs a non-empty list of values');
  }
  const defaults = resolveParams(spec.params as never, {});
  const bad = defaults.errors.find((e) => !e.message.startsWith('missing required'));
  if (bad) fail(`params.${bad.param}.default`, bad.message);
  if (!Array.isArray(spec.inputs) || spec.inputs.length === 0)
    fail('inputs', 'expected a non-empty list of input slots');
  const seen = new Set<string>();
  spec.inputs.forEach((slot: unknown, i) => {
    const at = `inputs[${i}]`;
    if (!isRecord(slot)) fail(at, 'expected { name, accepts, default }');
    if (typeof slot.name !== 'string' || !SLOT.test(slot.name))
      fail(`${at}.name`, 'expected an identifier');
    if (seen.has(slot.name)) fail(`${at}.name`, `duplicate slot "${slot.name}"`);
    seen.add(slot.name);
    if (
      !Array.isArray(slot.accepts) ||
      slot.accepts.length === 0 ||
      !slot.accepts.every((k) => PORT_KINDS.includes(k as string))
    )
      fail(`${at}.accepts`, `expected a non-empty list of ${PORT_KINDS.join(' | ')}`);
    if (typeof slot.default !== 'string') fail(`${at}.default`, 'expected a definition name');
  });
  if (!isRecord(spec.output)) fail('output', 'expected { kind, schema }');
  if (!PORT_KINDS.includes(spec.output.kind as string))
    fail('output.kind', `expected one of ${PORT_KINDS.join(' | ')}`);
  const schema = spec.output.schema;
  if (!isRecord(schema) || Object.keys(schema).length === 0)
    fail('output.schema', 'expected at least one field, e.g. { value: "number" }');
  for (const [f, t] of Object.entries(schema)) {
    if (RESERVED_FIELDS.includes(f)) fail(`output.schema.${f}`, 'is added from the input event');
    if (!FIELD_TYPES.includes(t as string))
      fail(`output.schema.${f}`, `expected one of ${FIELD_TYPES.join(' | ')}`);
  }
  if (spec.output.kind === 'scalar') {
    const fields = Object.entries(schema);
    if (fields.length !== 1 || fields[0]![1] !== 'number')
      fail('output.schema', 'a scalar output has exactly one number field');
  }
  const hasStream = spec.stream !== undefined;
  const hasOnEvent = spec.onEvent !== undefined;
  if (hasStream === hasOnEvent)
    fail('onEvent', 'give exactly one of onEvent (with init) or stream');
  if (hasOnEvent && typeof spec.onEvent !== 'function') fail('onEvent', 'expected a function');
  if (hasOnEvent && typeof spec.init !== 'function')
    fail('init', 'expected a function returning the initial state');
  if (hasStream && typeof spec.stream !== 'function') fail('stream', 'expected a function');
}
