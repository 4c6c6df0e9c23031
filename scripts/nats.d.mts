// Types of scripts/nats.mjs for the TypeScript tests and bench that start a nats-server.
export interface NatsServerHandle {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly wsPort: number;
  readonly dir: string;
  readonly pid: number | undefined;
  log(): string;
  stop(): Promise<void>;
}
export interface NatsServerOptions {
  readonly auth?: { readonly token: string } | { readonly user: string; readonly password: string };
}
export function locateNatsServer(): string | undefined;
export function findNatsServer(): string;
export function freePort(): Promise<number>;
export function startNatsServer(options?: NatsServerOptions): Promise<NatsServerHandle>;
