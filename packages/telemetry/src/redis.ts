import { SpanKind } from '@opentelemetry/api';
import { failed, startChildSpan } from './spans.js';

/** The part of an ioredis client (and of each command it sends) that tracing needs. */
interface RedisCommandLike {
  name: string;
  promise: Promise<unknown>;
}
interface RedisClientLike {
  sendCommand(command: RedisCommandLike, ...rest: never[]): unknown;
}

/**
 * Gives every command this ioredis client sends inside a trace a client span (`redis GET`), ended
 * when Redis answers. Commands of background loops (no active trace) get none; with tracing off
 * the cost is one flag check per command. Call it once, right after creating the client.
 */
export function traceRedisClient<T extends RedisClientLike>(client: T): T {
  const send = client.sendCommand.bind(client) as (command: RedisCommandLike, ...rest: never[]) => unknown;
  client.sendCommand = (command: RedisCommandLike, ...rest: never[]) => {
    const span = startChildSpan(`redis ${command.name}`, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'redis', 'db.operation.name': command.name } });
    if (span) {
      command.promise.then(
        () => span.end(),
        (error: unknown) => {
          failed(span, error);
          span.end();
        },
      );
    }
    return send(command, ...rest);
  };
  return client;
}
