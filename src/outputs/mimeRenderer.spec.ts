import { FakeRunwatchAPI, FakeWebSocket } from '../client/testing';
import { WatchSocket } from '../client';
import { MarkingTranslator } from '../testing';
import { RUNWATCH_MIME_TYPE, runwatchRendererFactory } from './mimeRenderer';

describe('runwatchRendererFactory', () => {
  it('renders in the language of the translator JupyterLab passes', async () => {
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const factory = runwatchRendererFactory({
      api: new FakeRunwatchAPI(),
      socket
    });
    const renderer = factory.createRenderer({
      mimeType: RUNWATCH_MIME_TYPE,
      sanitizer: { sanitize: (html: string) => html },
      resolver: null,
      linkHandler: null,
      latexTypesetter: null,
      translator: new MarkingTranslator()
    });
    await renderer.renderModel({
      trusted: true,
      data: {
        [RUNWATCH_MIME_TYPE]: { widget: 'table' },
        'text/plain': 'a snapshot'
      },
      metadata: {},
      setData: () => undefined
    });
    expect(renderer.node.textContent).toBe(
      "«runwatch can't show a 'table' widget.»\na snapshot"
    );
    renderer.dispose();
    socket.dispose();
  });
});
