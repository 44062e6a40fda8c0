import { describe, expect, it } from '@jest/globals';
import { createLogger, type LogLevel } from '@shop/subgraph-kit';

function recording(level: LogLevel = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ service: 'orders', level, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line: level name, ISO time, service, fields and msg', () => {
    const { logger, lines } = recording();
    logger.child({ requestId: 'r-1' }).info('order placed', { orderId: 'o-1' });
    expect(lines).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), service: 'orders', requestId: 'r-1', orderId: 'o-1', msg: 'order placed' }]);
  });

  it('honours the level, silent included', () => {
    const warn = recording('warn');
    warn.logger.info('not written');
    warn.logger.error('written');
    expect(warn.lines.map((line) => line.msg)).toEqual(['written']);
    const silent = recording('silent');
    silent.logger.error('not written either');
    expect(silent.lines).toEqual([]);
  });

  it('never writes credentials, at the top or nested', () => {
    const { logger, lines } = recording();
    logger.warn('request refused', {
      authorization: 'Bearer eyJ.secret',
      headers: { authorization: 'Bearer eyJ.other', cookie: 'session=1', 'set-cookie': 'session=2' },
      input: { email: 'a@example.com', password: 'hunter2' },
    });
    const text = JSON.stringify(lines);
    for (const secret of ['eyJ', 'session=', 'hunter2']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ authorization: '[redacted]', input: { email: 'a@example.com', password: '[redacted]' } });
  });

  it('keeps its own level and msg whatever the fields say, and survives circular fields and errors', () => {
    const { logger, lines } = recording();
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    logger.error('handler failed', { level: 'debug', msg: 'all good', loop, error: new TypeError('bad input') });
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'handler failed', field_level: 'debug', field_msg: 'all good' });
    expect(lines[0]!.error).toMatchObject({ type: 'TypeError', message: 'bad input', stack: expect.stringContaining('TypeError: bad input') });
    expect(JSON.stringify(lines[0]!.loop)).toContain('[Circular]');
  });
});
