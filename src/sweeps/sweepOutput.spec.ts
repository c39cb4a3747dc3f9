import { CommandRegistry } from '@lumino/commands';
import { FakeRunwatchAPI, FakeWebSocket } from '../client/testing';
import { WatchSocket } from '../client';
import {
  RUNWATCH_MIME_TYPE,
  runwatchRendererFactory
} from '../outputs/mimeRenderer';

describe("the sweep's output bundle", () => {
  it('renders `{"widget": "sweep"}` as the sweep widget', async () => {
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const factory = runwatchRendererFactory(
      { api: new FakeRunwatchAPI(), socket },
      new CommandRegistry()
    );
    const renderer = factory.createRenderer({
      mimeType: RUNWATCH_MIME_TYPE,
      sanitizer: { sanitize: (html: string) => html },
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    });
    await renderer.renderModel({
      trusted: true,
      data: {
        [RUNWATCH_MIME_TYPE]: { widget: 'sweep', name: 'lr-sweep', root: '/r' },
        'text/plain': 'runwatch sweep: lr-sweep (6 variants)'
      },
      metadata: {},
      setData: () => undefined
    });
    const widget = renderer.node.querySelector('.jp-runwatch-sweep');
    expect(widget).not.toBeNull();
    expect((widget as HTMLElement).dataset.sweep).toBe('lr-sweep');
    expect(widget!.querySelector('.jp-runwatch-sweep-name')!.textContent).toBe(
      'lr-sweep'
    );
    renderer.dispose();
    socket.dispose();
  });
});
