import { GraphQLError } from 'graphql';
import { forwardedIdentity, privateScope, subgraphRequestHeaders } from '../subgraphHeaders.js';
import { CachePolicy } from './cachePolicy.js';
import type { DeferStep, FetchStep, Step } from './compilePlan.js';
import { applyRewrites, deepMerge, objectsAt, pathsAt, representationOf, type DataObject, type TypeConditions } from './entityData.js';
import type { ResponsePath } from './shapeResponse.js';
import type { CallerScope, EntityCache } from './EntityCache.js';
import { SameKeys } from './representations.js';
import { downstreamError, explainedBy, unavailable } from './fetchErrors.js';
import type { FetchOutcome, SubgraphClient } from './SubgraphClient.js';
import type { Execution, ExecutionInput, Part } from './execution.js';

type PartDone = (subselection?: string) => Promise<void>;

interface Cursor {
  path: ReadonlyArray<string | number>;
  data: DataObject | DataObject[];
}

/** One request's run through a plan. */
interface Run {
  input: ExecutionInput;
  root: DataObject;
  errors: GraphQLError[];
  /** Positions left null by an error that has no path (a subgraph's refusal): nothing more to report there. */
  nulled: ResponsePath[];
  /** The runs of the parts this one's part came after (their errors explain nulls here too). */
  earlier: readonly Run[];
  cachePolicy: CachePolicy;
  headers: Record<string, string> | undefined;
  /** Whose private answers this run may read and keep (null: none; see `privateScope`). */
  caller: CallerScope | null;
  /** Entity fetches waiting to be sent, by subgraph, operation and variables (see `batchFor`). */
  batches: Map<string, EntityBatch>;
}

/** One `_entities` request in the making, shared by the fetches that add representations to it. */
interface EntityBatch {
  /** How many fetches send their representations in it. */
  parts: number;
  /** Where its answers are kept (see `keep`), and their key's start. */
  cache: EntityCache | null;
  cacheHead: string;
  readonly size: number;
  /** The position of a representation already in the request, or undefined. */
  slotOf(text: string): number | undefined;
  /** Adds a representation (once); returns its position in the request. */
  add(text: string): number;
  outcome: Promise<FetchOutcome>;
}

/** Runs `emit` once, however many times it is called. */
const once = (emit: (subselection?: string) => Promise<void> | void): PartDone => {
  let done = false;
  return async (subselection) => {
    if (done) return;
    done = true;
    await emit(subselection);
  };
};

/**
 * Runs @apollo/query-planner's plans: Sequence, Parallel, Flatten, Condition and Fetch (a
 * subscription's `rest` runs like a query). Entity fetches send each distinct representation
 * once; a fetch that fails as a whole (unreachable, timed out, circuit open) is reported as
 * SUBGRAPH_UNAVAILABLE at the paths of the fields it would have filled, which stay null.
 */
export class QueryPlanExecutor {
  constructor(
    private readonly clients: ReadonlyMap<string, SubgraphClient>,
    private readonly types: TypeConditions,
  ) {}

  async execute(input: ExecutionInput): Promise<Execution> {
    const root = input.data ?? {};
    const caller = input.keptAnswers ? privateScope(input.context) : null;
    const run: Run = { input, root, errors: [], nulled: [], earlier: [], cachePolicy: new CachePolicy(), headers: undefined, caller, batches: new Map() };
    const { sink } = input;
    // A plan whose @defer is switched off by `if:` has no DeferStep: the whole answer is the primary part.
    const primary = sink ? once((subselection) => sink.primary(partOf(run), subselection)) : undefined;
    if (input.step) await this.step(run, input.step, { path: [], data: root }, primary);
    await primary?.();
    return { data: root, errors: run.errors, cachePolicy: run.cachePolicy, explained: explainedBy(run.errors, run.nulled) };
  }

  /** `primaryDone`: where the primary part of a DeferStep at this position reports (incremental delivery only). */
  private async step(run: Run, step: Step, cursor: Cursor, primaryDone?: PartDone): Promise<void> {
    switch (step.kind) {
      case 'Defer':
        await this.defer(run, step, cursor, primaryDone);
        return;
      case 'Sequence':
        for (const child of step.steps) await this.step(run, child, cursor);
        return;
      case 'Parallel':
        await Promise.all(step.steps.map((child) => this.step(run, child, cursor)));
        return;
      case 'Flatten':
        await this.step(run, step.step, { path: [...cursor.path, ...step.path], data: objectsAt(cursor.data, step.path) });
        return;
      case 'Condition': {
        const chosen = run.input.coerced[step.variable] === true ? step.ifStep : step.elseStep;
        if (chosen) await this.step(run, chosen, cursor, primaryDone);
        return;
      }
      case 'Fetch':
        try {
          await this.fetch(run, step, cursor);
        } catch (error) {
          run.errors.push(error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error }));
        }
    }
  }

  /**
   * The primary part, then every deferred fragment at once: each reports when its own fetches are
   * in (before fragments nested in it run). Without a sink, or where no part can report, it all
   * runs into the current part.
   */
  private async defer(run: Run, step: DeferStep, cursor: Cursor, primaryDone: PartDone | undefined): Promise<void> {
    if (step.primary.step) await this.step(run, step.primary.step, cursor);
    const { sink } = run.input;
    if (!sink || !primaryDone) {
      await Promise.all(step.deferred.map((d) => (d.step ? this.step(run, d.step, cursor) : undefined)));
      return;
    }
    await primaryDone(step.primary.subselection);
    await Promise.all(
      step.deferred.map(async (d) => {
        const part: Run = { ...run, errors: [], nulled: [], earlier: [...run.earlier, run] };
        // A fragment with fragments deferred inside it holds what its own primary part printed.
        const done = once((subselection) => sink.deferred(d, partOf(part), subselection ?? d.subselection));
        if (d.step) await this.step(part, d.step, cursor, done);
        await done();
      }),
    );
  }

  private async fetch(run: Run, step: FetchStep, cursor: Cursor): Promise<void> {
    const client = this.clients.get(step.service);
    if (!client) throw new Error(`Couldn't find service with name "${step.service}"`);
    const entities = Array.isArray(cursor.data) ? cursor.data : [cursor.data];
    if (entities.length === 0) return;
    const variables = variablesJson(step, run.input.variables);

    if (!step.requires) {
      const outcome = await this.rootFetch(run, client, step, `${step.bodyHead}{${variables}}}`);
      if (outcome.kind === 'unavailable') {
        const names = step.served.get('') ?? [];
        for (const name of names) run.errors.push(unavailable(outcome.message, step.service, [...cursor.path, name]));
        return;
      }
      const errors = outcome.kind === 'refused' ? outcome.errors : (outcome.errors ?? []);
      for (const error of errors) {
        run.errors.push(downstreamError(error, step.service, error.path ? [...cursor.path, ...error.path] : undefined));
      }
      if (errors.some((error) => !error.path)) for (const name of step.served.get('') ?? []) run.nulled.push([...cursor.path, name]);
      if (outcome.kind === 'refused') return;
      const data = outcome.data;
      if (data) {
        applyRewrites(this.types, step.outputRewrites, data);
        for (const entity of entities) deepMerge(entity, data);
      }
      return;
    }

    // Entity fetch: one representation per distinct entity, answered in order. `slots[i]`: the
    // position of entity i's representation in the request (-1: it has none, or it was kept).
    const batch = this.batchFor(run, client, step, variables);
    const slots = new Int32Array(entities.length);
    let represented = 0;
    let kept: Map<string, DataObject> | undefined;
    const same = step.keyFields && step.encodeRepresentation ? new SameKeys<number | DataObject>(step.keyFields) : null;
    for (let i = 0; i < entities.length; i++) {
      const entity = entities[i]!;
      // An entity with the same __typename and field values earlier in this fetch: the same slot, or the same kept entity.
      const earlier = same?.get(entity);
      if (typeof earlier === 'number') {
        slots[i] = earlier;
        if (earlier >= 0) represented += 1;
        continue;
      }
      if (earlier) {
        slots[i] = -1;
        mergeKept(entity, earlier);
        continue;
      }
      const text = this.representation(step, entity, step.requires);
      // Already in the request (the same entity elsewhere in the data): not kept when it was added, so not now either.
      const sent = text === null ? undefined : batch.slotOf(text);
      const hit = text === null || sent !== undefined ? undefined : this.kept(run, batch, text, (kept ??= new Map()));
      if (hit) mergeKept(entity, hit);
      slots[i] = text === null || hit ? -1 : (sent ?? batch.add(text));
      if (slots[i]! >= 0) represented += 1;
      same?.set(entity, hit ?? slots[i]!);
    }
    if (represented === 0) return;
    const outcome = await batch.outcome;
    let paths: ResponsePath[] | undefined;
    const pathOf = (entity: number): ResponsePath => (paths ??= pathsAt(run.root, cursor.path))[entity] ?? [];
    const each = (visit: (entity: number) => void, slot?: number) => {
      for (let i = 0; i < entities.length; i++) if (slots[i]! >= 0 && (slot === undefined || slots[i] === slot)) visit(i);
    };

    if (outcome.kind === 'unavailable') {
      each((i) => {
        for (const name of servedBy(step, entities[i]!)) run.errors.push(unavailable(outcome.message, step.service, [...pathOf(i), name]));
      });
      return;
    }
    const errors = outcome.kind === 'refused' ? outcome.errors : (outcome.errors ?? []);
    for (const error of errors) {
      const errorPath = error.path;
      if (errorPath && typeof errorPath[1] === 'number') {
        let reported = false;
        each((i) => {
          reported = true;
          run.errors.push(downstreamError(error, step.service, [...pathOf(i), ...errorPath.slice(2)]));
        }, errorPath[1]);
        // Another fetch's representation (sent in the same request): its own part reports it.
        if (!reported && batch.parts === 1) run.errors.push(downstreamError(error, step.service, errorPath.slice(2)));
      } else run.errors.push(downstreamError(error, step.service, errorPath ? [...cursor.path, ...errorPath] : undefined));
    }
    if (errors.some((error) => !error.path)) each((i) => { for (const name of servedBy(step, entities[i]!)) run.nulled.push([...pathOf(i), name]); });
    if (outcome.kind === 'refused' || !outcome.data) return;
    const received = outcome.data._entities;
    if (!Array.isArray(received)) throw new Error('Expected "data._entities" in response to be an array');
    if (received.length !== batch.size) throw new Error(`Expected "data._entities" to contain ${batch.size} elements`);
    const rewritten = step.outputRewrites?.length ? new Uint8Array(received.length) : undefined;
    for (let i = 0; i < entities.length; i++) {
      const slot = slots[i]!;
      if (slot < 0) continue;
      const entity = received[slot] as DataObject | null;
      if (!entity || typeof entity !== 'object') continue;
      if (!entity.__typename) entity.__typename = entities[i]!.__typename;
      if (rewritten && !rewritten[slot]) {
        rewritten[slot] = 1;
        applyRewrites(this.types, step.outputRewrites, entity);
      }
      deepMerge(entities[i]!, entity);
    }
  }

  /**
   * The request an entity fetch's representations go into. Fetches of the same operation
   * (same subgraph, same selection, same variables) that start together (the branches of a
   * Parallel, or Sequences whose previous fetches were answered together) share one request,
   * each distinct representation once, sent once every such fetch has added its own.
   */
  private batchFor(run: Run, client: SubgraphClient, step: FetchStep, variables: string): EntityBatch {
    const shared = step.mergeable && !step.outputRewrites?.length;
    const cache = shared && run.input.keptAnswers ? client.entities : null;
    const key = `${step.service}\n${step.bodyHead}\n${variables}`;
    const pending = shared ? run.batches.get(key) : undefined;
    if (pending) {
      pending.parts += 1;
      return pending;
    }
    const texts: string[] = [];
    const indexOf = new Map<string, number>();
    const batch: EntityBatch = {
      parts: 1,
      cache,
      cacheHead: cache ? `${step.operationKey}{${variables}}\n` : '',
      get size() {
        return texts.length;
      },
      slotOf(text) {
        return indexOf.get(text);
      },
      add(text) {
        let index = indexOf.get(text);
        if (index === undefined) {
          index = texts.length;
          indexOf.set(text, index);
          texts.push(text);
        }
        return index;
      },
      outcome: new Promise<FetchOutcome>((resolve) => {
        process.nextTick(() => {
          if (shared) run.batches.delete(key);
          // Every entity was kept: no part waits for an answer.
          if (texts.length === 0) return resolve({ kind: 'response', data: null, errors: undefined, cacheControl: undefined });
          const sentAt = cache?.generation ?? 0;
          const outcome = this.send(run, client, step, `${step.bodyHead}{"representations":[${texts.join(',')}]${variables ? `,${variables}` : ''}}}`);
          resolve(cache ? outcome.then((answer) => cache.keep(batch.cacheHead, texts, answer, run.caller, sentAt)) : outcome);
        });
      }),
    };
    if (shared) run.batches.set(key, batch);
    return batch;
  }

  /**
   * A root fetch (a query's): the data its subgraph's cache keeps for this caller and request
   * body when there is any (the answer's cache policy then counts its age left and stays
   * private), else the subgraph's answer, kept for the caller if the subgraph called it private.
   */
  private async rootFetch(run: Run, client: SubgraphClient, step: FetchStep, body: string): Promise<FetchOutcome> {
    const { caller } = run;
    const cache = step.mergeable ? client.entities : null;
    if (!caller || !cache) return this.send(run, client, step, body);
    const entry = cache.answer(body, caller);
    if (!entry) {
      const sentAt = cache.generation;
      return cache.keepAnswer(body, await this.send(run, client, step, body), caller, sentAt);
    }
    run.cachePolicy.restrict(`max-age=${entry.maxAge}, private`);
    return { kind: 'response', data: JSON.parse(entry.json) as DataObject, errors: undefined, cacheControl: undefined };
  }

  /**
   * The entity its subgraph's cache keeps for this fetch and representation, for everyone or
   * for this caller (parsed once per fetch); the answer's cache policy then counts its age left,
   * and its scope, as if it had been fetched.
   */
  private kept(run: Run, batch: EntityBatch, text: string, parsed: Map<string, DataObject>): DataObject | undefined {
    if (!batch.cache) return undefined;
    const done = parsed.get(text);
    if (done) return done;
    const entry = batch.cache.get(batch.cacheHead + text, run.caller);
    if (!entry) return undefined;
    run.cachePolicy.restrict(`max-age=${entry.maxAge}, ${entry.scope}`);
    const entity = JSON.parse(entry.json) as DataObject;
    parsed.set(text, entity);
    return entity;
  }

  /** The JSON of an entity's representation, or null when it has none. */
  private representation(step: FetchStep, entity: DataObject, requires: NonNullable<FetchStep['requires']>): string | null {
    const encoded = step.encodeRepresentation?.(entity, this.types);
    if (encoded !== undefined) return encoded;
    const representation = representationOf(this.types, entity, requires);
    if (!representation || !representation.__typename) return null;
    applyRewrites(this.types, step.inputRewrites, representation);
    return JSON.stringify(representation);
  }

  private async send(run: Run, client: SubgraphClient, step: FetchStep, body: string): Promise<FetchOutcome> {
    const { context } = run.input;
    run.headers ??= subgraphRequestHeaders(context);
    const outcome = await client.fetch(body, run.headers, step.mergeable ? { identity: forwardedIdentity(context), hint: step.answers } : null);
    run.cachePolicy.restrict(outcome.kind === 'response' ? outcome.cacheControl : undefined);
    return outcome;
  }
}

/** The fetch's variables as JSON members (`"a":1,"b":2`), only those it uses and the client gave. */
function variablesJson(step: FetchStep, variables: Readonly<Record<string, unknown>>): string {
  let json = '';
  for (const name of step.variableUsages) {
    if (!Object.hasOwn(variables, name) || variables[name] === undefined) continue;
    json += `${json ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(variables[name])}`;
  }
  return json;
}

/** Fills `entity` with a kept answer for it (which may lack the `__typename` the entity has). */
function mergeKept(entity: DataObject, kept: DataObject): void {
  deepMerge(entity, kept.__typename ? kept : { ...kept, __typename: entity.__typename });
}

function servedBy(step: FetchStep, entity: DataObject): readonly string[] {
  const typename = typeof entity.__typename === 'string' ? entity.__typename : '';
  const exact = step.served.get(typename);
  if (exact) return exact;
  return [...new Set([...step.served.values()].flat())];
}

function partOf(run: Run): Part {
  const earlier = run.earlier;
  return {
    errors: run.errors,
    explained: explainedBy([...earlier.flatMap((r) => r.errors), ...run.errors], [...earlier.flatMap((r) => r.nulled), ...run.nulled]),
  };
}
