import { CompiledQuery, sql, type ExpressionBuilder, type InferResult, type Kysely } from 'kysely';
import { prepared } from '@shop/postgres';
import type { OrdersDatabase } from './db/schema.js';
import type { OrderCursor } from './model.js';
import { LINE_COLUMNS, ORDER_COLUMNS, type LineColumns } from './orderRows.js';
import type { OrderStatus } from './statusMachine.js';

// The statement behind OrdersRepository.pageByUserIds: one page of orders for each of many
// users, built and compiled once per shape.

/** What one page statement is asked for: its values, and which filters apply (its shape). */
export interface PageValues {
  userIds: string[];
  status: OrderStatus | null;
  afterAt: Date | null;
  afterId: string | null;
  limit: number;
}

interface PageShape {
  /** One user (`me`), the page order history asks for: see `preparedPageStatements`. */
  single: boolean;
  status: boolean;
  after: boolean;
  lines: boolean;
}

/** Stands for one of the values while a shape's statement is built. */
class PageValue {
  constructor(readonly name: keyof PageValues | 'userId') {}
}

const PAGE_VALUE_MARKERS: { [K in keyof PageValues]: NonNullable<PageValues[K]> } & { userId: string } = {
  userIds: new PageValue('userIds') as never,
  userId: new PageValue('userId') as never,
  status: new PageValue('status') as never,
  afterAt: new PageValue('afterAt') as never,
  afterId: new PageValue('afterId') as never,
  limit: new PageValue('limit') as never,
};

function pageStatement(db: Kysely<OrdersDatabase>, shape: PageShape, v: typeof PAGE_VALUE_MARKERS) {
  const owner = shape.single ? sql<string>`${sql.val(v.userId)}::text` : sql<string>`unnest(${sql.val(v.userIds)}::text[])`;
  return db
    .selectFrom(db.selectNoFrom(owner.as('user_id')).as('owner'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('orders as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.user_id', '=', 'owner.user_id')
          .$if(shape.status, (qb) => qb.where('c.status', '=', v.status))
          .as('total'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('orders')
          .select(ORDER_COLUMNS.map((column) => `orders.${column}` as const))
          .$if(shape.lines, (qb) =>
            qb.select((lines) =>
              lines
                .selectFrom('order_items')
                .select(
                  sql<LineColumns[]>`coalesce(json_agg(json_build_array(${sql.join(LINE_COLUMNS.map((column) => sql.ref(`order_items.${column}`)))}) order by ${sql.ref('order_items.position')}), '[]')`.as(
                    'lines',
                  ),
                )
                .whereRef('order_items.order_id', '=', 'orders.id')
                .as('lines'),
            ),
          )
          .whereRef('orders.user_id', '=', 'owner.user_id')
          .$if(shape.status, (qb) => qb.where('orders.status', '=', v.status))
          .$if(shape.after, (qb) => qb.where((w) => before(w, { createdAt: v.afterAt, id: v.afterId })))
          .orderBy('orders.created_at', 'desc')
          .orderBy('orders.id', 'desc')
          .limit(v.limit)
          .as('o'),
      (join) => join.onTrue(),
    )
    .select(['owner.user_id as owner_id', 'total.n as total_count'])
    .selectAll('o')
    .orderBy('owner.user_id')
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc');
}

type PageRow = InferResult<ReturnType<typeof pageStatement>>[number];

/**
 * The page statement's SQL depends only on its shape, not on its values: kysely builds and
 * compiles it once per shape (sixteen at most) with a marker for each value, and a call fills in
 * its own values in the order the markers took. Building and compiling it per request was
 * ~8 % of the subgraphs' busy time under order history.
 * Each shape goes to PostgreSQL as a named statement (`prepared`), parsed once per connection.
 * One user's page has a shape of its own, `$1::text` instead of `unnest($1::text[])`: PostgreSQL
 * keeps a generic plan for it, where for an array of unknown length the generic plan looks
 * dearer (ten users) than the one planned for the values and it plans on every call.
 */
export function preparedPageStatements(db: Kysely<OrdersDatabase>) {
  const compiled = new Map<string, CompiledQuery>();
  return {
    filled(shape: PageShape, values: PageValues): CompiledQuery<PageRow> {
      const key = `${shape.single} ${shape.status} ${shape.after} ${shape.lines}`;
      let statement = compiled.get(key);
      if (!statement) {
        statement = prepared(pageStatement(db, shape, PAGE_VALUE_MARKERS).compile());
        compiled.set(key, statement);
      }
      const parameters = statement.parameters.map((parameter) =>
        parameter instanceof PageValue ? (parameter.name === 'userId' ? values.userIds[0] : values[parameter.name]) : parameter,
      );
      return CompiledQuery.raw(statement.sql, parameters) as CompiledQuery<PageRow>;
    },
  };
}

/** Strictly after `cursor` in newest-first order. */
export function before(eb: ExpressionBuilder<OrdersDatabase, 'orders'>, cursor: OrderCursor) {
  return eb(eb.refTuple('orders.created_at', 'orders.id'), '<', eb.tuple(cursor.createdAt, cursor.id));
}

