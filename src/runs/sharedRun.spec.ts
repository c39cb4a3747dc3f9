/**
 * Several widgets of one run on one page (monitor + view, two monitors, a
 * panel tab beside an output): each model loads, follows the run, and keeps
 * following when another one closes.
 */
import { RunModel } from './runModel';
import {
  FakeRunwatchAPI,
  FakeWebSocket,
  concatBytes,
  nprHeader,
  nprRows
} from '../client/testing';
import { WatchSocket } from '../client/watchSocket';

const RUN = '2024-01-02 03-04-05 neat-river';
const CREATED_NS = 1704164645000000000n;
const at = (seconds: number) => CREATED_NS + BigInt(seconds * 1e9);
const FILE = 'stats.loss.0.npr';

let api: FakeRunwatchAPI;
let socket: WatchSocket;
let models: RunModel[];

/** The page's socket, answering as the server does: a snapshot per `watch`. */
function serverSocket(): FakeWebSocket {
  const ws = new FakeWebSocket();
  const send = ws.send.bind(ws);
  ws.send = (data: string) => {
    send(data);
    const message = JSON.parse(data);
    if (message.op === 'watch') {
      setTimeout(() => ws.receive(api.snapshot(message.run)), 0);
    }
  };
  setTimeout(() => ws.open(), 0);
  return ws;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await Promise.all(models.map(m => m.settled()));
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

async function openModel(): Promise<RunModel> {
  const model = new RunModel({
    run: RUN,
    api,
    socket,
    scheduleFrame: callback => {
      const id = setTimeout(callback, 0);
      return () => clearTimeout(id);
    }
  });
  models.push(model);
  await model.ready;
  await settle();
  return model;
}

function values(model: RunModel): number[] {
  return Array.from(model.channels.get('loss')?.data.columns.x ?? []);
}

function appendRow(seconds: number, value: number): void {
  api.append(RUN, FILE, nprRows([[at(seconds), value]]));
  const ws = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  ws.receive({
    type: 'grew',
    run: RUN,
    file: FILE,
    size: api.entry(RUN, FILE).size
  });
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  models = [];
  api = new FakeRunwatchAPI();
  api.addRun(RUN);
  api.append(RUN, FILE, concatBytes(nprHeader(['x']), nprRows([[at(1), 1]])));
  socket = new WatchSocket({ createSocket: serverSocket, backoffMs: [1] });
});

afterEach(() => {
  models.forEach(m => m.dispose());
  socket.dispose();
});

describe('one run in several widgets', () => {
  it('loads a second model of a run the page already follows', async () => {
    const first = await openModel();
    appendRow(2, 2);
    await settle();
    const second = await openModel();
    expect(first.state).toBe('live');
    expect(second.state).toBe('live');
    expect(values(second)).toEqual([1, 2]);
    expect(values(first)).toEqual([1, 2]);
  });

  it('keeps every model updating, and the others after one closes', async () => {
    const a = await openModel();
    const b = await openModel();
    const c = await openModel();
    appendRow(2, 2);
    await settle();
    expect([values(a), values(b), values(c)]).toEqual([
      [1, 2],
      [1, 2],
      [1, 2]
    ]);
    b.dispose();
    appendRow(3, 3);
    await settle();
    expect(values(a)).toEqual([1, 2, 3]);
    expect(values(c)).toEqual([1, 2, 3]);
    expect(socket.watchedRuns).toEqual([RUN]);
  });
});
