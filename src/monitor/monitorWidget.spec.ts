import { Widget } from '@lumino/widgets';
import {
  FakeRunwatchAPI,
  FakeWebSocket,
  concatBytes,
  nprHeader,
  nprRows
} from '../client/testing';
import { WatchSocket } from '../client';
import { MarkingTranslator } from '../testing';
import { MonitorWidget } from './monitorWidget';

const RUN = '2024-01-02 03-04-05 neat-river';
const CREATED_MS = Date.UTC(2024, 0, 2, 3, 4, 5);
const CREATED_NS = BigInt(CREATED_MS) * 1_000_000n;
const at = (s: number) => CREATED_NS + BigInt(Math.round(s * 1e9));
const utf8 = (text: string) => new TextEncoder().encode(text);

let api: FakeRunwatchAPI;
let socket: WatchSocket;
let widget: MonitorWidget;
let nowMs: number;

const ws = () => FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
const text = (selector: string) =>
  Array.from(widget.node.querySelectorAll(selector)).map(n => n.textContent);

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await widget.model.settled();
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

async function open(
  expectedRoot?: string,
  translator?: MarkingTranslator
): Promise<void> {
  widget = new MonitorWidget({
    run: RUN,
    api,
    socket,
    expectedRoot,
    translator,
    now: () => nowMs,
    scheduleFrame: callback => {
      const id = setTimeout(callback, 0);
      return () => clearTimeout(id);
    }
  });
  Widget.attach(widget, document.body);
  await widget.model.ready;
  ws().open();
  ws().receive(api.snapshot(RUN));
  await settle();
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  api = new FakeRunwatchAPI();
  api.addRun(RUN);
  socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
  nowMs = CREATED_MS + 125_000;
});

afterEach(() => {
  widget?.dispose();
  socket.dispose();
});

describe('MonitorWidget', () => {
  it('shows the header, log lines and stats by kind', async () => {
    api.append(RUN, 'logs.0.txt', utf8('hello\nworld\n'));
    api.append(
      RUN,
      'stats.loss.value.0.npr',
      concatBytes(
        nprHeader(['total', 'count']),
        nprRows([
          [at(30), 3, 2],
          [at(61), 1, 1],
          [at(121), 5, 1]
        ])
      ),
      { kind: 'mean' }
    );
    api.append(
      RUN,
      'stats.hidden.0.npr',
      concatBytes(nprHeader(['x']), nprRows([[at(1), 1]])),
      {
        kind: 'silent'
      }
    );
    await open();
    expect(text('.jp-runwatch-run-name')).toEqual([RUN]);
    expect(text('.jp-runwatch-badge')).toEqual(['live']);
    expect(text('.jp-runwatch-facts')[0]).toMatch(
      /^2m old · 60s rule · \d+ B on disk$/
    );
    expect(text('.jp-runwatch-log-line')).toEqual(['hello', 'world']);
    expect(text('.jp-runwatch-log-writer')).toEqual(['MainProcess · pid 42']);
    expect(text('.jp-runwatch-stat-label')).toEqual(['loss', 'value']);
    // Bucket [60, 120) is complete; [120, 180) is filling.
    expect(text('.jp-runwatch-stat-value')).toEqual(['', '1']);
    expect(text('.jp-runwatch-stat-partial')).toEqual(['', '5 (partial)']);

    (widget.node.querySelector('[data-rule="raw"]') as HTMLElement).click();
    expect(text('.jp-runwatch-stat-value')).toEqual(['', '5']);
    expect(text('.jp-runwatch-facts')[0]).toMatch(/raw rule/);
  });

  it('says when the run last wrote, and moves it on with each write', async () => {
    api.append(RUN, 'logs.0.txt', utf8('one\n'), {
      mtime_ms: CREATED_MS + 113_000
    });
    await open();
    expect(text('.jp-runwatch-facts')[0]).toMatch(
      /^2m old · last write 12s ago · 60s rule/
    );
    api.append(RUN, 'logs.0.txt', utf8('two\n'));
    ws().receive({
      type: 'grew',
      run: RUN,
      file: 'logs.0.txt',
      size: api.entry(RUN, 'logs.0.txt').size,
      mtime_ms: CREATED_MS + 124_000
    });
    await settle();
    expect(text('.jp-runwatch-facts')[0]).toMatch(/last write 1s ago/);
  });

  it('updates new lines and values without reopening', async () => {
    api.append(RUN, 'logs.0.txt', utf8('one\n'));
    api.append(
      RUN,
      'stats.acc.0.npr',
      concatBytes(nprHeader(['x']), nprRows([[at(1), 0.5]])),
      {
        kind: 'max_percent'
      }
    );
    await open();
    api.append(RUN, 'logs.0.txt', utf8('two\n'));
    api.append(RUN, 'stats.acc.0.npr', nprRows([[at(124), 0.75]]));
    for (const file of ['logs.0.txt', 'stats.acc.0.npr']) {
      ws().receive({
        type: 'grew',
        run: RUN,
        file,
        size: api.entry(RUN, file).size
      });
    }
    await settle();
    expect(text('.jp-runwatch-log-line')).toEqual(['one', 'two']);
    expect(text('.jp-runwatch-stat-partial')).toEqual(['75.00% (partial)']);
  });

  it("shows a channel's error beside the others", async () => {
    api.append(RUN, 'stats.bad.0.npr', utf8('nope'), {
      error: 'bad magic: not an NPY file'
    });
    api.append(
      RUN,
      'stats.good.0.npr',
      concatBytes(nprHeader(['x']), nprRows([[at(1), 2]]))
    );
    await open();
    expect(text('.jp-runwatch-stat-error')).toEqual([
      'bad magic: not an NPY file'
    ]);
    expect(text('.jp-runwatch-stat-value')).toContain('2');
  });

  it('says so when the run is deleted', async () => {
    await open();
    ws().receive({ type: 'deleted', run: RUN });
    await settle();
    expect(text('.jp-runwatch-message')).toEqual(['run deleted']);
    expect(text('.jp-runwatch-badge')).toEqual(['deleted']);
  });

  it('names both roots when the kernel and server stores differ', async () => {
    await open('/kernel/store');
    await settle();
    expect(text('.jp-runwatch-banner')[0]).toContain('/kernel/store');
    expect(text('.jp-runwatch-banner')[0]).toContain('/store');
  });

  it("speaks the user's language when given a translator", async () => {
    api.append(
      RUN,
      'stats.loss.0.npr',
      concatBytes(nprHeader(['x']), nprRows([[at(121), 5]]))
    );
    await open('/kernel/store', new MarkingTranslator());
    await settle();
    expect(text('.jp-runwatch-badge')).toEqual(['«live»']);
    expect(text('.jp-runwatch-facts')[0]).toMatch(
      /^«2m old» · ««60s» rule» · «\d+ B on disk»$/
    );
    expect(text('.jp-runwatch-empty')).toEqual(['«No logs yet»']);
    expect(text('.jp-runwatch-rule-button')).toEqual([
      '«raw»',
      '«1s»',
      '«10s»',
      '«60s»'
    ]);
    expect(text('.jp-runwatch-stat-partial')).toEqual(['«5 (partial)»']);
    expect(text('.jp-runwatch-banner')[0]).toMatch(
      /^«The kernel's run store is \/kernel\/store, but/
    );
  });

  it('releases its subscription when disposed', async () => {
    await open();
    widget.dispose();
    expect(ws().sent.pop()).toEqual({ op: 'unwatch', run: RUN });
  });
});
