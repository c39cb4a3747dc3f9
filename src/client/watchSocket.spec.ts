import { FakeWebSocket } from './testing';
import { IRunMessage, WatchSocket } from './watchSocket';

function makeSocket(): WatchSocket {
  return new WatchSocket({
    createSocket: () => new FakeWebSocket(),
    backoffMs: [10]
  });
}

const last = () => FakeWebSocket.instances[FakeWebSocket.instances.length - 1];

describe('WatchSocket', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('shares one socket and watches a run once for many listeners', () => {
    const socket = makeSocket();
    const a = socket.subscribe('run', () => undefined);
    const b = socket.subscribe('run', () => undefined);
    last().open();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(last().sent).toEqual([{ op: 'watch', run: 'run' }]);
    a.dispose();
    expect(last().sent).toHaveLength(1);
    b.dispose();
    expect(last().sent[1]).toEqual({ op: 'unwatch', run: 'run' });
    expect(last().closed).toBe(true);
    socket.dispose();
  });

  it('asks for a snapshot for each listener that joins a watched run', () => {
    const socket = makeSocket();
    const first = socket.subscribe('run', () => undefined);
    last().open();
    const second = socket.subscribe('run', () => undefined);
    expect(last().sent).toEqual([
      { op: 'watch', run: 'run' },
      { op: 'watch', run: 'run' }
    ]);
    first.dispose();
    second.dispose();
    expect(last().sent[2]).toEqual({ op: 'unwatch', run: 'run' });
    socket.dispose();
  });

  it('routes messages to the listeners of their run', () => {
    const socket = makeSocket();
    const got: IRunMessage[] = [];
    socket.subscribe('a', m => got.push(m));
    socket.subscribe('b', () => fail('wrong run'));
    last().open();
    last().receive({ type: 'grew', run: 'a', file: 'logs.0.txt', size: 3 });
    expect(got).toEqual([
      { type: 'grew', run: 'a', file: 'logs.0.txt', size: 3 }
    ]);
    socket.dispose();
  });

  it('reconnects with backoff and re-sends every watch', () => {
    const socket = makeSocket();
    socket.subscribe('a', () => undefined);
    const storeChanged = jest.fn();
    socket.subscribeStore(storeChanged);
    last().open();
    last().drop();
    expect(socket.state).toBe('closed');
    jest.advanceTimersByTime(10);
    expect(FakeWebSocket.instances).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual([
      { op: 'watch', run: 'a' },
      { op: 'watch-store' }
    ]);
    // Store changes made while disconnected were missed: refresh.
    expect(storeChanged).toHaveBeenCalledTimes(1);
    socket.dispose();
  });

  it('stops reconnecting once nothing is subscribed', () => {
    const socket = makeSocket();
    const sub = socket.subscribe('a', () => undefined);
    last().open();
    last().drop();
    sub.dispose();
    jest.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.dispose();
  });

  it('builds the watch URL under the base URL', () => {
    const { watchUrl } = jest.requireActual('./watchSocket');
    expect(
      watchUrl({ wsUrl: 'ws://h/base/', token: 't k', appendToken: true })
    ).toBe('ws://h/base/runwatch/api/watch?token=t%20k');
  });
});
