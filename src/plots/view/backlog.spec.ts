import { Backlog, CAUGHT_UP_NOTE_MS } from './backlog';

describe('Backlog', () => {
  it('counts rows that arrive while paused, then says it caught up', () => {
    const backlog = new Backlog();
    expect(backlog.note(10, 0)).toBe('');
    backlog.pause(10);
    expect(backlog.note(10, 0)).toBe('paused · 0 new rows not drawn');
    expect(backlog.note(11, 0)).toBe('paused · 1 new row not drawn');
    expect(backlog.note(25, 0)).toBe('paused · 15 new rows not drawn');
    backlog.resume(27, 1000);
    expect(backlog.note(27, 1000)).toBe('caught up 17 rows');
    expect(backlog.note(30, 1000 + CAUGHT_UP_NOTE_MS)).toBe('');
  });
});
